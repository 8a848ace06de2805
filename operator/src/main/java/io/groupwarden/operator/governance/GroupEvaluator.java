package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Evaluates one group against a policy: every definition of the design's "Governance" section,
 * applied to the group's retained history, gathered into one {@link GroupEvaluation}. The steps:
 * the facts of each partition; the group's figures (SLO compliance, Gini, rebalance score,
 * catch-up); which stalls are a slow consumer serving partitions in turn ({@link SlowGroupRule});
 * whether the group has too few consumers; the hysteresis of every problem ({@link GroupAlerts});
 * and the findings drawn from the settled problems ({@link Recommender}).
 */
public final class GroupEvaluator {
  private GroupEvaluator() {}

  /** Evaluates a group seen for the first time: no problem raised before. */
  public static GroupEvaluation evaluate(
      GroupTimeline timeline, PolicySettings settings, Instant now) {
    return evaluate(timeline, settings, now, GroupAlerts.NONE);
  }

  /**
   * Evaluates a group.
   *
   * @param timeline the group's history; its newest sample is the "current" one
   * @param settings the policy's settings
   * @param now the evaluation time, which the windows end at
   * @param previous the hysteresis state the group's previous evaluation returned
   */
  public static GroupEvaluation evaluate(
      GroupTimeline timeline, PolicySettings settings, Instant now, GroupAlerts previous) {
    GroupSample latest = timeline.latest();
    PartitionFacts facts = PartitionFacts.gather(timeline, settings, now);
    Double compliance = facts.slo.compliance();
    boolean sloCompliant = SloCompliance.meetsTarget(compliance, settings.complianceTarget());
    double gini = FairnessGini.of(latest.members());
    boolean fair = gini <= settings.maxGini();
    int rebalances = timeline.rebalancesSince(now.minus(settings.rebalanceWindow()));
    int score = RebalanceScore.of(rebalances, settings.maxRebalances());
    boolean stable = score >= settings.minRebalanceScore();
    int members = latest.members().size();
    LagSecondsStats lagSeconds = lagSecondsStats(facts.knownSeconds());

    List<PartitionRef> waiting = SlowGroupRule.waiting(timeline, facts.stuck, facts.catchUps);
    Map<PartitionRef, Detection> stuck = new HashMap<>();
    Set<Integer> stuckIndexes = new HashSet<>();
    facts.stuck.forEach(
        (index, finding) -> {
          if (!waiting.contains(finding.partition().ref())) {
            stuck.put(finding.partition().ref(), finding);
            stuckIndexes.add(index);
          }
        });

    // What more consumers cannot fix is left out of the estimate: stuck partitions, and partitions
    // nobody consumed over the window other than those waiting for a busy consumer's turn, whose
    // stall may still turn out to be stuck.
    Set<PartitionRef> waits = new HashSet<>(waiting);
    IntPredicate notCapacity =
        index ->
            stuckIndexes.contains(index)
                || (facts.standing[index] && !waits.contains(latest.partitions().get(index).ref()));
    Estimate autoscaleEstimate = null;
    Estimate estimate = null;
    if (settings.autoscale() != null) {
      autoscaleEstimate =
          ReplicaEstimator.fromAutoscale(
              settings.autoscale(),
              members,
              facts.totalLag,
              lagSeconds.p95(),
              latest.partitions().size());
      estimate = autoscaleEstimate;
    } else if (!sloCompliant || !waiting.isEmpty()) {
      estimate = ReplicaEstimator.fromRates(timeline, settings.sloWindow(), now, notCapacity);
    }
    boolean tooFew = estimate != null && estimate.replicas() > members;
    UnderProvisioned underProvisioned = null;
    if (settings.autoscale() != null ? tooFew : (tooFew && !sloCompliant) || !waiting.isEmpty()) {
      underProvisioned =
          new UnderProvisioned(members, estimate, facts.groupCatchUp(stuckIndexes), waiting);
    }

    GroupAlerts alerts =
        previous.next(
            new GroupAlerts.Observed(
                sloCompliant ? null : compliance,
                fair ? null : gini,
                stable ? null : rebalances,
                underProvisioned,
                stuck,
                facts.overruns,
                facts.lossRisks),
            settings,
            now);

    List<Detection> settledStuck = alerts.stuckRaised();
    Set<PartitionRef> stuckRefs = new HashSet<>();
    settledStuck.forEach(f -> stuckRefs.add(f.partition().ref()));
    List<PartitionRef> unconsumed = new ArrayList<>();
    long unconsumedLag = 0;
    for (int i = 0; i < latest.partitions().size(); i++) {
      PartitionRef ref = latest.partitions().get(i).ref();
      if (!facts.owners.containsKey(ref) && !stuckRefs.contains(ref)) {
        unconsumed.add(ref);
        unconsumedLag += facts.lags[i];
      }
    }
    unconsumed.sort(Comparator.naturalOrder());
    boolean settledFair = !alerts.unfairRaised();
    boolean settledStable = !alerts.unstableRaised();
    Recommendation recommendation =
        Recommender.recommend(
            Situation.builder(latest, now)
                .owners(facts.owners)
                .overruns(alerts.overrunsRaised())
                .lossRisks(alerts.lossRisksRaised())
                .stuck(settledStuck)
                .underProvisioned(alerts.underProvisionedRaised())
                .slo(alerts.sloViolated(), compliance, settings.complianceTarget())
                .unconsumed(unconsumed, unconsumedLag)
                .fairness(settledFair, gini, settings.maxGini())
                .stability(settledStable, rebalances, settings.rebalanceWindow())
                .autoscaleEstimate(autoscaleEstimate)
                .build());

    return new GroupEvaluation(
        latest.groupId(),
        latest.state(),
        members,
        latest.assignor(),
        facts.topics.stream().distinct().sorted().toList(),
        lagStats(facts.lags, facts.totalLag),
        lagSeconds,
        compliance,
        !alerts.sloViolated(),
        gini,
        settledFair,
        rebalances,
        score,
        settledStable,
        settledStuck.stream()
            .map(Detection::partition)
            .sorted(Comparator.comparing(StuckPartition::ref))
            .toList(),
        Coverage.share(facts.owned, facts.lags.length),
        facts.partitions,
        recommendation,
        autoscaleEstimate != null ? autoscaleEstimate.replicas() : null,
        facts.recordsLost,
        alerts.overrunsRaised(),
        alerts.lossRisksRaised(),
        facts.groupCatchUp(Set.of()),
        alerts);
  }

  private static LagStats lagStats(long[] lags, long total) {
    if (lags.length == 0) {
      return new LagStats(0, 0, 0, 0);
    }
    long[] sorted = lags.clone();
    Arrays.sort(sorted);
    return new LagStats(
        NearestRank.of(sorted, 50), NearestRank.of(sorted, 95), sorted[sorted.length - 1], total);
  }

  private static LagSecondsStats lagSecondsStats(double[] known) {
    if (known.length == 0) {
      return new LagSecondsStats(null, null);
    }
    Arrays.sort(known);
    return new LagSecondsStats(NearestRank.of(known, 95), known[known.length - 1]);
  }
}
