package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells, sample by sample, when a group rebalanced. A rebalance is a change of the group epoch, of
 * the membership, or of the assignment between two samples. Members are told apart by their
 * identity, the static instance id when set and the member id otherwise, so a static member that
 * restarts under a new member id is not a rebalance.
 *
 * <p>A sample taken while the group is rebalancing (PreparingRebalance, CompletingRebalance,
 * Assigning, Reconciling) shows members and assignments in flux; comparing it with its neighbours
 * would count one rebalance twice (into the flux and out of it). So samples in such a state count
 * once, as one rebalance, when the group enters it, and settled samples are compared with the
 * previous settled sample only. A rebalance that starts and finishes between two samples shows as a
 * changed epoch, membership or assignment between them.
 *
 * <p>One detector follows one group; it holds only the last settled sample and whether a rebalance
 * is in progress.
 */
public final class RebalanceDetector {
  private GroupSample lastSettled;
  private boolean rebalancing;

  /** Feeds the next sample of the group; returns whether it shows a new rebalance. */
  public boolean observe(GroupSample sample) {
    if (isRebalancing(sample.state())) {
      boolean started = !rebalancing;
      rebalancing = true;
      return started;
    }
    boolean changed =
        !rebalancing && lastSettled != null && differsInMembershipOrAssignment(lastSettled, sample);
    rebalancing = false;
    lastSettled = sample;
    return changed;
  }

  /** Whether a group in this broker-reported state is in the middle of a rebalance. */
  public static boolean isRebalancing(String state) {
    if (state == null) {
      return false;
    }
    return switch (state.toLowerCase(Locale.ROOT)) {
      case "preparingrebalance",
          "preparing_rebalance",
          "completingrebalance",
          "completing_rebalance",
          "assigning",
          "reconciling" ->
          true;
      default -> false;
    };
  }

  /**
   * Whether two settled samples differ in epoch (when both report one), in the set of member
   * identities, or in which identity holds which partitions.
   */
  public static boolean differsInMembershipOrAssignment(GroupSample before, GroupSample after) {
    if (before.epoch() != null && after.epoch() != null && !before.epoch().equals(after.epoch())) {
      return true;
    }
    if (sameInSameOrder(before.members(), after.members())) {
      return false;
    }
    return !assignmentByIdentity(before.members()).equals(assignmentByIdentity(after.members()));
  }

  /** The common case, checked without building maps: the same members listed the same way. */
  private static boolean sameInSameOrder(List<MemberSample> before, List<MemberSample> after) {
    if (before.size() != after.size()) {
      return false;
    }
    for (int i = 0; i < before.size(); i++) {
      MemberSample was = before.get(i);
      MemberSample is = after.get(i);
      if (!Objects.equals(was.identity(), is.identity())
          || !was.assignment().equals(is.assignment())) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Set<PartitionRef>> assignmentByIdentity(List<MemberSample> members) {
    Map<String, Set<PartitionRef>> byIdentity = new HashMap<>();
    for (MemberSample member : members) {
      byIdentity
          .computeIfAbsent(Objects.requireNonNullElse(member.identity(), ""), id -> new HashSet<>())
          .addAll(member.assignment());
    }
    return byIdentity;
  }
}
