package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import java.util.Map;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the offset manager and the shard facade need to know of a group, whatever protocol its
 * members speak. Confined to the group's shard thread.
 */
public interface Group {
  String groupId();

  GroupType type();

  /** The protocol type of ListGroups and DescribeGroups: "consumer", or null for a simple group. */
  String protocolType();

  /** The state as Kafka's APIs name it ("Stable", "Empty", ...). */
  String stateName();

  /** True once the group is removed; nothing of it is served any more. */
  boolean isDead();

  /** True when it has no members (its offsets may expire). */
  boolean isEmpty();

  int memberCount();

  /**
   * Whether a member may commit offsets: {@code generationIdOrMemberEpoch} is a generation for a
   * classic group and a member epoch for a consumer group; -1 with no member id is an admin or a
   * consumer without group management.
   */
  Errors validateOffsetCommit(
      String memberId, String groupInstanceId, int generationIdOrMemberEpoch, short apiVersion);

  /** Whether a member may fetch offsets (OffsetFetch v9+ names a member and its epoch). */
  Errors validateOffsetFetch(String memberId, int memberEpoch);

  /** Whether OffsetDelete may remove offsets of this group (topics still in use are refused). */
  Errors validateOffsetDelete();

  /** Whether DeleteGroups may remove it. */
  Errors validateDeleteGroup();

  /** True when a member consumes {@code topic}: its offsets cannot be deleted then. */
  boolean isSubscribedToTopic(String topic);

  /** An immutable copy for readers on other threads, with the group's committed offsets. */
  GroupView view(Map<TopicPartition, OffsetAndMetadata> offsets);

  /**
   * The time from which an offset without an explicit expiry counts its retention, or -1 when
   * offsets of this group do not expire now (it has members).
   */
  long offsetRetentionStartMs(OffsetAndMetadata offset);
}
