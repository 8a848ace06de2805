package io.groupwarden.operator.governance;

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
 * through them the others wait, their committed offsets standing still for minutes, and then move
 * again when their turn comes. Judged one partition at a time, each wait looks like a STALL and the
 * stall moves from partition to partition; what is wrong is the group's size, not a partition.
 *
 * <p>A STALL partition is waiting for its turn, not stuck, when its owner has another partition
 * that both
 *
 * <ul>
 *   <li>made progress during this partition's stall — the consumer is alive and working — and
 *   <li>itself stood still while behind between two retained samples — it too has had to wait.
 * </ul>
 *
 * A consumer that keeps up with its other partitions moves them at every sample, so a partition it
 * really cannot get past (a poison message, a blocked handler) stays STALL. STOP and REWIND are
 * never waits.
 */
public final class SlowGroupRule {
  private SlowGroupRule() {}

  /**
   * The stuck findings that are partitions waiting for their turn.
   *
   * @param timeline the group's history
   * @param stuck the stuck partitions found, each with its index in the newest sample
   * @return the refs of the findings that are waits, not stalls
   */
  public static List<PartitionRef> waiting(GroupTimeline timeline, Map<Integer, Detection> stuck) {
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
      Detection finding = entry.getValue();
      PartitionRef ref = finding.partition().ref();
      MemberSample owner = owners.get(ref);
      if (finding.partition().reason() != StuckReason.STALL || owner == null) {
        continue;
      }
      for (PartitionRef other : owner.assignment()) {
        Integer index = indexes.get(other);
        if (other.equals(ref) || index == null) {
          continue;
        }
        PartitionTimeline served = timeline.partition(index);
        if (movedSince(served, finding.sinceAge()) && waitedWhileBehind(served)) {
          waiting.add(ref);
          break;
        }
      }
    }
    waiting.sort(null);
    return waiting;
  }

  private static boolean movedSince(PartitionTimeline partition, int age) {
    return partition.size() > age
        && partition.committed(0)
        && partition.committed(age)
        && partition.origin(0) > partition.origin(age);
  }

  private static boolean waitedWhileBehind(PartitionTimeline partition) {
    for (int age = 0; age + 1 < partition.size(); age++) {
      if (partition.committed(age)
          && partition.committed(age + 1)
          && partition.origin(age) == partition.origin(age + 1)
          && partition.lag(age + 1) > 0) {
        return true;
      }
    }
    return false;
  }
}
