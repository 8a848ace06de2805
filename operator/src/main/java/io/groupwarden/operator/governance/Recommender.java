package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Picks the one action to recommend for a group and says it in one plain sentence. When several
 * apply, the first in {@link Action}'s order wins: a stuck partition loses data freshness for good,
 * a group too small falls further behind every minute, unconsumed partitions are never read, and so
 * on down to shrinking a group that is larger than it needs to be.
 */
public final class Recommender {
  private static final int PARTITIONS_NAMED = 3;

  private Recommender() {}

  /**
   * What the recommendation is drawn from.
   *
   * @param latest the newest sample
   * @param stuck the stuck partitions found
   * @param scale the replica estimate, or null when none could be made
   * @param autoscaled whether the estimate comes from the policy's autoscale settings (then it also
   *     recommends scaling in)
   * @param sloViolated whether the lag SLO is known to be missed
   * @param unconsumed partitions no member owns, sorted
   * @param unconsumedLag their lag in messages
   * @param rebalances rebalances in the rebalance window
   * @param rebalanceWindow that window
   * @param rebalanceStable whether the rebalance score meets the minimum
   * @param gini the fairness Gini coefficient
   * @param maxGini the largest acceptable one
   * @param now the evaluation time
   */
  public record Situation(
      GroupSample latest,
      List<Finding> stuck,
      Estimate scale,
      boolean autoscaled,
      boolean sloViolated,
      List<PartitionRef> unconsumed,
      long unconsumedLag,
      int rebalances,
      Duration rebalanceWindow,
      boolean rebalanceStable,
      double gini,
      double maxGini,
      Instant now) {}

  /** The recommendation for the situation. */
  public static Recommendation recommend(Situation situation) {
    int members = situation.latest().members().size();
    int partitions = situation.latest().partitions().size();
    if (!situation.stuck().isEmpty()) {
      return inspect(situation);
    }
    Estimate scale = situation.scale();
    if (scale != null
        && scale.replicas() > members
        && (situation.autoscaled() || situation.sloViolated())) {
      return new Recommendation(
          Action.SCALE_OUT,
          "Scale out to " + consumers(scale.replicas()) + ": " + scale.because() + ".",
          scale.replicas());
    }
    if (!situation.unconsumed().isEmpty() && situation.unconsumedLag() > 0) {
      return assign(situation, members, partitions);
    }
    if (!situation.rebalanceStable()) {
      return stabilise(situation);
    }
    if (situation.gini() > situation.maxGini() && canBeEvener(situation.latest())) {
      return rebalanceAssignment(situation);
    }
    if (situation.autoscaled() && scale != null && scale.replicas() < members) {
      return new Recommendation(
          Action.SCALE_IN,
          "Scale in to " + consumers(scale.replicas()) + ": " + scale.because() + ".",
          scale.replicas());
    }
    if (!situation.autoscaled() && partitions > 0 && members > partitions) {
      return new Recommendation(
          Action.SCALE_IN,
          String.format(
              Locale.ROOT,
              "Scale in to %s: %d members share %d partitions, so %d are idle.",
              consumers(partitions),
              members,
              partitions,
              members - partitions),
          partitions);
    }
    return new Recommendation(Action.NONE, "No action needed.", null);
  }

  private static Recommendation inspect(Situation situation) {
    Finding worst =
        situation.stuck().stream()
            .min(
                Comparator.comparing((Finding f) -> f.partition().since())
                    .thenComparing(f -> f.partition().ref()))
            .orElseThrow();
    StuckPartition stuck = worst.partition();
    String quiet = CompactDuration.format(Duration.between(stuck.since(), situation.now()));
    String why =
        switch (stuck.reason()) {
          case STALL ->
              String.format(
                  Locale.ROOT,
                  "its committed offset has not moved for %s while %d messages arrived",
                  quiet,
                  worst.arrived());
          case STOP ->
              String.format(
                  Locale.ROOT,
                  "no member consumes it and its committed offset has not moved for %s while %d"
                      + " messages arrived",
                  quiet,
                  worst.arrived());
          case REWIND ->
              String.format(
                  Locale.ROOT,
                  "its committed offset moved back from %d %s ago",
                  worst.rewoundFrom(),
                  quiet);
        };
    int others = situation.stuck().size() - 1;
    String more =
        others == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " (%d more %s stuck)",
                others,
                others == 1 ? "partition is" : "partitions are");
    return new Recommendation(
        Action.INSPECT_STUCK_PARTITION,
        String.format(
            Locale.ROOT,
            "Inspect partition %s at offset %d: %s%s.",
            stuck.ref(),
            stuck.committedOffset(),
            why,
            more),
        null);
  }

  private static Recommendation assign(Situation situation, int members, int partitions) {
    if (members == 0) {
      return new Recommendation(
          Action.ASSIGN_UNCONSUMED_PARTITIONS,
          String.format(
              Locale.ROOT,
              "Start consumers for the group: none of its %d partitions is consumed and they hold"
                  + " %d messages of lag.",
              partitions,
              situation.unconsumedLag()),
          null);
    }
    List<PartitionRef> unconsumed = situation.unconsumed();
    String named =
        unconsumed.stream()
            .limit(PARTITIONS_NAMED)
            .map(PartitionRef::toString)
            .collect(Collectors.joining(", "));
    if (unconsumed.size() > PARTITIONS_NAMED) {
      named += " and " + (unconsumed.size() - PARTITIONS_NAMED) + " more";
    }
    return new Recommendation(
        Action.ASSIGN_UNCONSUMED_PARTITIONS,
        String.format(
            Locale.ROOT,
            "Assign the unconsumed %s %s: no member consumes %s and %d messages of lag wait there.",
            unconsumed.size() == 1 ? "partition" : "partitions",
            named,
            unconsumed.size() == 1 ? "it" : "them",
            situation.unconsumedLag()),
        null);
  }

  private static Recommendation stabilise(Situation situation) {
    List<MemberSample> members = situation.latest().members();
    boolean allStatic =
        !members.isEmpty() && members.stream().allMatch(m -> m.instanceId() != null);
    boolean cooperative =
        situation.latest().assignor().toLowerCase(Locale.ROOT).contains("cooperative");
    String count =
        String.format(
            Locale.ROOT,
            "%d %s in the last %s",
            situation.rebalances(),
            situation.rebalances() == 1 ? "rebalance" : "rebalances",
            CompactDuration.format(situation.rebalanceWindow()));
    String message;
    if (allStatic) {
      message = "Find out why members leave and rejoin: " + count + " although all are static.";
    } else if (cooperative) {
      message = "Use static membership (group.instance.id): " + count + ".";
    } else {
      message =
          "Use the cooperative-sticky assignor or static membership (group.instance.id): "
              + count
              + ".";
    }
    return new Recommendation(Action.STABILISE_MEMBERSHIP, message, null);
  }

  /**
   * Whether some member holds two partitions more than another. An assignment whose counts differ
   * by at most one is as even as the partition count allows (3 partitions over 2 members, or idle
   * members when there are more members than partitions), whatever its Gini coefficient says.
   */
  private static boolean canBeEvener(GroupSample latest) {
    int fewest = Integer.MAX_VALUE;
    int most = 0;
    for (MemberSample member : latest.members()) {
      fewest = Math.min(fewest, member.assignment().size());
      most = Math.max(most, member.assignment().size());
    }
    return most - fewest > 1;
  }

  private static Recommendation rebalanceAssignment(Situation situation) {
    int fewest = Integer.MAX_VALUE;
    int most = 0;
    for (MemberSample member : situation.latest().members()) {
      fewest = Math.min(fewest, member.assignment().size());
      most = Math.max(most, member.assignment().size());
    }
    return new Recommendation(
        Action.REBALANCE_ASSIGNMENT,
        String.format(
            Locale.ROOT,
            "Rebalance the assignment: members hold between %d and %d partitions (Gini %.2f,"
                + " above %.2f).",
            fewest,
            most,
            situation.gini(),
            situation.maxGini()),
        null);
  }

  private static String consumers(int count) {
    return count + (count == 1 ? " consumer" : " consumers");
  }
}
