package io.groupwarden.coordinator.group;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A change to a shard's durable state. Handlers return these; they are appended to the shard's log,
 * and replaying them on start-up rebuilds committed offsets and group membership.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = GroupRecord.OffsetCommitted.class, name = "offset"),
  @JsonSubTypes.Type(value = GroupRecord.OffsetRemoved.class, name = "offset-removed"),
  @JsonSubTypes.Type(value = GroupRecord.GroupMetadata.class, name = "group"),
  @JsonSubTypes.Type(value = GroupRecord.GroupRemoved.class, name = "group-removed")
})
public sealed interface GroupRecord {
  String groupId();

  /** A committed offset. {@code expireTimestamp} is -1 unless the commit asked for a retention. */
  record OffsetCommitted(
      String groupId,
      String topic,
      int partition,
      long offset,
      int leaderEpoch,
      String metadata,
      long commitTimestamp,
      long expireTimestamp)
      implements GroupRecord {}

  record OffsetRemoved(String groupId, String topic, int partition) implements GroupRecord {}

  /** A group's generation and members with their assignments, written when it stabilises. */
  record GroupMetadata(
      String groupId,
      String protocolType,
      int generationId,
      String protocolName,
      String leaderId,
      long stateTimestamp,
      List<Member> members)
      implements GroupRecord {}

  record Member(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      int rebalanceTimeoutMs,
      int sessionTimeoutMs,
      List<String> protocolNames,
      List<byte[]> protocolMetadata,
      byte[] assignment) {}

  record GroupRemoved(String groupId) implements GroupRecord {}
}
