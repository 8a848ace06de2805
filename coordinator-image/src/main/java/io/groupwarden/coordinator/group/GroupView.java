package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * An immutable copy of a group for readers off the shard thread (the HTTP API). {@code epoch} is
 * the generation of a classic group and the group epoch of a consumer group.
 */
public record GroupView(
    String groupId,
    GroupType type,
    String state,
    int epoch,
    String protocolType,
    String protocol,
    String leader,
    List<Member> members,
    Map<TopicPartition, OffsetAndMetadata> offsets) {

  /** A member and the partitions it owns; {@code assignment} is null when it cannot be read. */
  public record Member(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      List<TopicPartition> assignment) {}
}
