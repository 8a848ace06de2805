package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Finding;
import java.time.Duration;
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
    PartitionFacts facts = PartitionFacts.gather(timeline, settings, now);
    Double compliance = facts.slo.compliance();
    boolean sloCompliant = SloCompliance.meetsTarget(compliance, settings.complianceTarget());
    double gini = FairnessGini.of(latest.members());
    int rebalances = timeline.rebalancesSince(now.minus(settings.rebalanceWindow()));
    int score = RebalanceScore.of(rebalances, settings.maxRebalances());
    boolean stable = score >= settings.minRebalanceScore();
    int members = latest.members().size();
    LagSecondsStats lagSeconds = lagSecondsStats(facts.knownSeconds());

    Estimate scale = null;
    if (settings.autoscale() != null) {
      scale =
          ReplicaEstimator.fromAutoscale(
              settings.autoscale(),
              members,
              facts.totalLag,
              lagSeconds.p95(),
              latest.partitions().size());
    } else if (!sloCompliant) {
      scale = ReplicaEstimator.fromRates(timeline, settings.sloWindow(), now);
    }
    Recommendation recommendation =
        Recommender.recommend(
            new Recommender.Situation(
                latest,
                facts.stuck,
                scale,
                settings.autoscale() != null,
                !sloCompliant,
                facts.unconsumed,
                facts.unconsumedLag,
                rebalances,
                settings.rebalanceWindow(),
                stable,
                gini,
                settings.maxGini(),
                now));

    return new GroupEvaluation(
        latest.groupId(),
        latest.state(),
        members,
        latest.assignor(),
        facts.topics.stream().distinct().sorted().toList(),
        lagStats(facts.lags, facts.totalLag),
        lagSeconds,
        compliance,
        sloCompliant,
        gini,
        gini <= settings.maxGini(),
        rebalances,
        score,
        stable,
        facts.stuckPartitions(),
        Coverage.share(facts.owned, facts.lags.length),
        facts.partitions,
        recommendation,
        settings.autoscale() != null ? scale.replicas() : null);
  }

  /** What one pass over the newest sample's partitions finds. */
  private static final class PartitionFacts {
    final long[] lags;
    final double[] seconds;
    int known;
    long totalLag;
    final List<PartitionLag> partitions;
    final SloCompliance slo;
    final List<Finding> stuck = new ArrayList<>();
    final List<PartitionRef> unconsumed = new ArrayList<>();
    long unconsumedLag;
    int owned;
    final List<String> topics = new ArrayList<>();

    private PartitionFacts(int count, SloCompliance slo) {
      this.lags = new long[count];
      this.seconds = new double[count];
      this.partitions = new ArrayList<>(count);
      this.slo = slo;
    }

    static PartitionFacts gather(GroupTimeline timeline, PolicySettings settings, Instant now) {
      GroupSample latest = timeline.latest();
      Map<PartitionRef, String> owners = Coverage.owners(latest);
      List<PartitionSample> samples = latest.partitions();
      PartitionFacts facts = new PartitionFacts(samples.size(), SloCompliance.tally(settings, now));
      for (int i = 0; i < samples.size(); i++) {
        facts.add(i, samples.get(i), timeline.partition(i), owners, settings.stuckWindow(), now);
      }
      facts.partitions.sort(Comparator.comparing(PartitionLag::ref));
      facts.unconsumed.sort(Comparator.naturalOrder());
      return facts;
    }

    private void add(
        int index,
        PartitionSample sample,
        PartitionTimeline history,
        Map<PartitionRef, String> owners,
        Duration stuckWindow,
        Instant now) {
      PartitionRef ref = sample.ref();
      String owner = owners.get(ref);
      long lag = MessageLag.of(sample);
      double lagSeconds = history.lagSeconds(0);
      lags[index] = lag;
      totalLag += lag;
      if (!Double.isNaN(lagSeconds)) {
        seconds[known++] = lagSeconds;
      }
      if (topics.isEmpty() || !topics.get(topics.size() - 1).equals(sample.topic())) {
        topics.add(sample.topic());
      }
      partitions.add(
          new PartitionLag(
              ref,
              lag,
              Double.isNaN(lagSeconds) ? null : lagSeconds,
              sample.committedOffset(),
              MessageLag.from(sample),
              owner));
      slo.add(history);
      Finding finding =
          StuckPartitionDetector.detect(ref, history, owner != null, stuckWindow, now);
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

    double[] knownSeconds() {
      return Arrays.copyOf(seconds, known);
    }

    List<StuckPartition> stuckPartitions() {
      return stuck.stream()
          .map(Finding::partition)
          .sorted(Comparator.comparing(StuckPartition::ref))
          .toList();
    }
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
