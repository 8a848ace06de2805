package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Finding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one group against a policy: every definition of the design's "Governance" section,
 * applied to the group's retained history, gathered into one {@link GroupEvaluation}.
 */
public final class GroupEvaluator {
  private GroupEvaluator() {}

  /**
   * Evaluates a group.
   *
   * @param timeline the group's history; its newest sample is the "current" one
   * @param settings the policy's settings
   * @param now the evaluation time, which the windows end at
   */
  public static GroupEvaluation evaluate(
      GroupTimeline timeline, PolicySettings settings, Instant now) {
    GroupSample latest = timeline.latest();
    List<PartitionSample> samples = latest.partitions();
    Map<PartitionRef, String> owners = Coverage.owners(latest);
    SloCompliance slo = SloCompliance.tally(settings, now);

    int count = samples.size();
    long[] lags = new long[count];
    double[] knownSeconds = new double[count];
    int known = 0;
    long totalLag = 0;
    List<PartitionLag> partitions = new ArrayList<>(count);
    List<Finding> stuck = new ArrayList<>();
    List<PartitionRef> unconsumed = new ArrayList<>();
    long unconsumedLag = 0;
    int owned = 0;
    List<String> topics = new ArrayList<>();

    for (int i = 0; i < count; i++) {
      PartitionSample sample = samples.get(i);
      PartitionTimeline history = timeline.partition(i);
      PartitionRef ref = sample.ref();
      String owner = owners.get(ref);
      long lag = MessageLag.of(sample);
      double seconds = history.lagSeconds(0);

      lags[i] = lag;
      totalLag += lag;
      if (!Double.isNaN(seconds)) {
        knownSeconds[known++] = seconds;
      }
      if (topics.isEmpty() || !topics.get(topics.size() - 1).equals(sample.topic())) {
        topics.add(sample.topic());
      }
      partitions.add(
          new PartitionLag(
              ref,
              lag,
              Double.isNaN(seconds) ? null : seconds,
              sample.committedOffset(),
              MessageLag.from(sample),
              owner));
      slo.add(history);
      Finding finding =
          StuckPartitionDetector.detect(ref, history, owner != null, settings.stuckWindow(), now);
      if (finding != null) {
        stuck.add(finding);
      }
      if (owner != null) {
        owned++;
      } else {
        unconsumed.add(ref);
        unconsumedLag += lag;
      }
    }
    partitions.sort(Comparator.comparing(PartitionLag::ref));
    unconsumed.sort(Comparator.naturalOrder());

    LagStats lagStats = lagStats(lags, totalLag);
    LagSecondsStats lagSecondsStats = lagSecondsStats(Arrays.copyOf(knownSeconds, known));
    Double compliance = slo.compliance();
    boolean sloCompliant = SloCompliance.meetsTarget(compliance, settings.complianceTarget());
    double gini = FairnessGini.of(latest.members());
    int rebalances = timeline.rebalancesSince(now.minus(settings.rebalanceWindow()));
    int score = RebalanceScore.of(rebalances, settings.maxRebalances());
    boolean stable = score >= settings.minRebalanceScore();
    int members = latest.members().size();

    Estimate scale;
    if (settings.autoscale() != null) {
      scale =
          ReplicaEstimator.fromAutoscale(
              settings.autoscale(), members, totalLag, lagSecondsStats.p95(), count);
    } else if (!sloCompliant) {
      scale = ReplicaEstimator.fromRates(timeline, settings.sloWindow(), now);
    } else {
      scale = null;
    }
    var recommendation =
        Recommender.recommend(
            new Recommender.Situation(
                latest,
                stuck,
                scale,
                settings.autoscale() != null,
                !sloCompliant,
                unconsumed,
                unconsumedLag,
                rebalances,
                settings.rebalanceWindow(),
                stable,
                gini,
                settings.maxGini(),
                now));

    List<StuckPartition> stuckPartitions =
        stuck.stream()
            .map(Finding::partition)
            .sorted(Comparator.comparing(StuckPartition::ref))
            .toList();
    return new GroupEvaluation(
        latest.groupId(),
        latest.state(),
        members,
        latest.assignor(),
        topics.stream().distinct().sorted().toList(),
        lagStats,
        lagSecondsStats,
        compliance,
        sloCompliant,
        gini,
        gini <= settings.maxGini(),
        rebalances,
        score,
        stable,
        stuckPartitions,
        Coverage.share(owned, count),
        partitions,
        recommendation,
        settings.autoscale() != null ? scale.replicas() : null);
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
