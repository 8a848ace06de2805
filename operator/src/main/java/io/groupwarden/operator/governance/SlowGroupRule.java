package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.CatchUp.State;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells a slow consumer from stuck partitions. A consumer too slow for what arrives serves its
 * partitions in turn: the fetcher hands it one partition's records at a time, and while it works
 * through that backlog the others wait, their committed offsets standing still for minutes, and
 * move again when their turn comes. Judged one partition at a time, each wait looks like a STALL,
 * and the stall moves from partition to partition; what is wrong is the group's size, not a
 * partition.
 *
 * <p>A STALL partition is waiting for its turn, not stuck, when its owner has another partition
 * that has moved since this one last did and is itself behind — not caught up in {@link CatchUp}'s
 * sense, so the consumer is busy with a backlog elsewhere. A consumer that keeps its other
 * partitions current while one never moves (a poison message, a blocked handler) is not busy, so
 * that partition stays STALL; so it does after a restart, once the others have caught up again.
 * STOP and REWIND are never waits. While a consumer serves its first partition and keeps it
 * current, the partitions it has not reached yet are reported stuck: nothing shows yet that it will
 * come back to them.
 */
public final class SlowGroupRule {
  private SlowGroupRule() {}

  /**
   * The stuck partitions that are waiting for their turn.
   *
   * @param timeline the group's history
   * @param stuck the stuck partitions found, by index in the newest sample
   * @param catchUps each partition's catch-up, by index in the newest sample
   * @return the waiting partitions, sorted
   */
  public static List<PartitionRef> waiting(
      GroupTimeline timeline, Map<Integer, Detection> stuck, CatchUp[] catchUps) {
    List<PartitionRef> waiting = new ArrayList<>();
    if (stuck.isEmpty()) {
      return waiting;
    }
    Map<PartitionRef, Integer> indexes = new HashMap<>();
    List<GroupSample.PartitionSample> partitions = timeline.latest().partitions();
    for (int i = 0; i < partitions.size(); i++) {
      indexes.put(partitions.get(i).ref(), i);
    }
    Map<PartitionRef, MemberSample> owners = new HashMap<>();
    for (MemberSample member : timeline.latest().members()) {
      member.assignment().forEach(ref -> owners.putIfAbsent(ref, member));
    }
    for (Map.Entry<Integer, Detection> entry : stuck.entrySet()) {
      Detection detection = entry.getValue();
      PartitionRef ref = detection.partition().ref();
      MemberSample owner = owners.get(ref);
      if (detection.partition().reason() != StuckReason.STALL || owner == null) {
        continue;
      }
      long stalledSince = timeline.partition(entry.getKey()).lastProgressMillis();
      for (PartitionRef other : owner.assignment()) {
        Integer index = indexes.get(other);
        if (other.equals(ref) || index == null) {
          continue;
        }
        boolean movedSince = timeline.partition(index).lastProgressMillis() > stalledSince;
        boolean busy = catchUps[index].state() != State.CAUGHT_UP;
        if (movedSince && busy) {
          waiting.add(ref);
          break;
        }
      }
    }
    waiting.sort(null);
    return waiting;
  }
}
