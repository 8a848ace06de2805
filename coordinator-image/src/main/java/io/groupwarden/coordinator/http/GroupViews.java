package io.groupwarden.coordinator.http;

import io.groupwarden.coordinator.group.ClassicGroup;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.group.GroupMember;
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
final class GroupViews {
  /** One group as listed. */
  record Summary(String groupId, String state, String protocolType) {}

  /** One member; {@code assignment} is the consumer-protocol bytes the leader sent, or empty. */
  record Member(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      byte[] assignment) {}

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

  private final GroupCoordinator groups;

  GroupViews(GroupCoordinator groups) {
    this.groups = groups;
  }

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
    return groups.inspect(
        groupId,
        shard -> {
          ClassicGroup group = shard.group(groupId);
          if (group == null) {
            return Optional.empty();
          }
          List<Member> members =
              group.members().stream()
                  .map(
                      (GroupMember m) ->
                          new Member(
                              m.memberId(),
                              m.groupInstanceId(),
                              m.clientId(),
                              m.clientHost(),
                              m.assignment()))
                  .toList();
          Map<TopicPartition, Long> offsets = new HashMap<>();
          shard.committedOffsets(groupId).forEach((tp, o) -> offsets.put(tp, o.offset()));
          return Optional.of(
              new Group(
                  groupId,
                  group.state().wireName(),
                  group.generationId(),
                  group.protocolType(),
                  group.protocolName(),
                  group.leaderId(),
                  members,
                  offsets));
        });
  }
}
