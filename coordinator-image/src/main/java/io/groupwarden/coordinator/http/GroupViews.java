package io.groupwarden.coordinator.http;

import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * What the HTTP side reads of the group coordinator, copied into plain values on the group's shard
 * thread. This is the only class of the HTTP side that knows the coordinator's group classes, so a
 * change to how groups are kept changes only this file.
 */
record GroupViews(GroupCoordinator groups) {
  /** One group as listed. */
  record Summary(String groupId, String state, String protocolType) {}

  /** One member; {@code assignment} is the partitions it owns, or null when unreadable. */
  record Member(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      List<TopicPartition> assignment) {}

  /** One group with its members and committed offsets. */
  record Group(
      String groupId,
      String state,
      int generation,
      String protocolType,
      String protocol,
      String leader,
      List<Member> members,
      Map<TopicPartition, Long> committedOffsets) {}

  CompletableFuture<List<Summary>> list() {
    return groups
        .list(Set.of(), Set.of())
        .thenApply(
            listed ->
                listed.stream()
                    .map(g -> new Summary(g.groupId(), g.groupState(), g.protocolType()))
                    .toList());
  }

  /** The group, or empty when the coordinator has no such group. */
  CompletableFuture<Optional<Group>> find(String groupId) {
    return groups
        .view(groupId)
        .thenApply(
            found ->
                found.map(
                    view ->
                        new Group(
                            view.groupId(),
                            view.state(),
                            view.epoch(),
                            view.protocolType(),
                            view.protocol(),
                            view.leader(),
                            view.members().stream()
                                .map(
                                    m ->
                                        new Member(
                                            m.memberId(),
                                            m.groupInstanceId(),
                                            m.clientId(),
                                            m.clientHost(),
                                            m.assignment()))
                                .toList(),
                            committed(view.offsets()))));
  }

  private static Map<TopicPartition, Long> committed(
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, Long> committed = new HashMap<>();
    offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    return committed;
  }
}
