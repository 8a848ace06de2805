package io.groupwarden.coordinator.group.consumer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import org.apache.kafka.common.Uuid;

/**
 * Which member of a consumer group owns each partition now: the partitions it is assigned and those
 * it is still revoking. A partition is free for its next owner only once nobody owns it.
 */
final class PartitionOwners {
  private final Map<Uuid, Map<Integer, String>> owners = new HashMap<>();

  /** The member that owns a partition, or null. */
  String ownerOf(Uuid topicId, int partition) {
    Map<Integer, String> byPartition = owners.get(topicId);
    return byPartition == null ? null : byPartition.get(partition);
  }

  /** Records that {@code member} owns what it is assigned and what it is revoking. */
  void own(ConsumerGroupMember member) {
    forEach(member.reconciliation().assigned(), (t, p) -> ownerMap(t).put(p, member.memberId()));
    forEach(
        member.reconciliation().pendingRevocation(),
        (t, p) -> ownerMap(t).put(p, member.memberId()));
  }

  /** Frees the partitions {@code member} owned (those another member took meanwhile stay his). */
  void release(ConsumerGroupMember member) {
    forEach(
        member.reconciliation().owned(),
        (t, p) -> {
          Map<Integer, String> byPartition = owners.get(t);
          if (byPartition != null && member.memberId().equals(byPartition.get(p))) {
            byPartition.remove(p);
            if (byPartition.isEmpty()) {
              owners.remove(t);
            }
          }
        });
  }

  private Map<Integer, String> ownerMap(Uuid topicId) {
    return owners.computeIfAbsent(topicId, t -> new HashMap<>());
  }

  private static void forEach(Assignment assignment, ObjIntConsumer<Uuid> action) {
    assignment.partitions().forEach((t, set) -> set.forEach(p -> action.accept(t, p)));
  }
}
