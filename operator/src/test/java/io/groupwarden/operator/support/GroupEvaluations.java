package io.groupwarden.operator.support;

import io.groupwarden.operator.governance.CatchUp;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupEvaluationBuilder;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link GroupEvaluation}s for tests that read evaluations rather than make them, through
 * {@link GroupEvaluationBuilder} with the API's own defaults: {@code
 * group("billing").partition("orders", 0, 300, "worker-0").sloCompliance(0.5, false).build()}.
 * Until told otherwise a group is Stable with one member on range, healthy in every respect, with
 * no partitions and nothing to do; its lag statistics are those of its partitions.
 */
public final class GroupEvaluations {
  private final String groupId;
  private String state = "Stable";
  private int members = 1;
  private String assignor = "range";
  private final List<String> topics = new ArrayList<>();
  private LagStats lag;
  private LagSecondsStats lagSeconds = new LagSecondsStats(null, null);
  private Double sloCompliance = 1.0;
  private boolean sloCompliant = true;
  private double fairnessGini;
  private boolean fair = true;
  private int rebalances;
  private int rebalanceScore = 100;
  private boolean rebalanceStable = true;
  private final List<StuckPartition> stuck = new ArrayList<>();
  private double coverage = 1.0;
  private final List<PartitionLag> partitions = new ArrayList<>();
  private Recommendation recommendation =
      new Recommendation(Action.NONE, "No action needed.", null, List.of());
  private Integer desiredReplicas;

  private GroupEvaluations(String groupId) {
    this.groupId = groupId;
  }

  public static GroupEvaluations group(String groupId) {
    return new GroupEvaluations(groupId);
  }

  public GroupEvaluations state(String state) {
    this.state = state;
    return this;
  }

  public GroupEvaluations members(int members) {
    this.members = members;
    return this;
  }

  public GroupEvaluations assignor(String assignor) {
    this.assignor = assignor;
    return this;
  }

  /** Topics beyond those of the partitions given (a topic with no partition sampled). */
  public GroupEvaluations topic(String topic) {
    if (!topics.contains(topic)) {
      topics.add(topic);
    }
    return this;
  }

  /** A partition with a committed offset ({@code lag} below the log end) and its owner. */
  public GroupEvaluations partition(
      String topic, int partition, long lag, Double lagSeconds, long committed, String owner) {
    partitions.add(
        GroupEvaluationBuilder.partition(
            new PartitionRef(topic, partition), lag, lagSeconds, committed, owner));
    return topic(topic);
  }

  /** A partition the group has never committed: lag from the log start, nobody owns it. */
  public GroupEvaluations uncommittedPartition(String topic, int partition, long lag) {
    partitions.add(
        new PartitionLag(
            new PartitionRef(topic, partition),
            lag,
            null,
            null,
            LagFrom.LOG_START,
            null,
            0,
            new CatchUp(CatchUp.State.UNKNOWN, null, 0, Double.NaN),
            null));
    return topic(topic);
  }

  /** Lag statistics other than those of the partitions given. */
  public GroupEvaluations lag(long p50, long p95, long max, long total) {
    this.lag = new LagStats(p50, p95, max, total);
    return this;
  }

  public GroupEvaluations lagSeconds(Double p95, Double max) {
    this.lagSeconds = new LagSecondsStats(p95, max);
    return this;
  }

  public GroupEvaluations sloCompliance(Double compliance, boolean compliant) {
    this.sloCompliance = compliance;
    this.sloCompliant = compliant;
    return this;
  }

  public GroupEvaluations fairness(double gini, boolean fair) {
    this.fairnessGini = gini;
    this.fair = fair;
    return this;
  }

  public GroupEvaluations rebalances(int rebalances, int score, boolean stable) {
    this.rebalances = rebalances;
    this.rebalanceScore = score;
    this.rebalanceStable = stable;
    return this;
  }

  public GroupEvaluations stuck(
      String topic, int partition, Instant since, long committed, long lag, StuckReason reason) {
    stuck.add(
        new StuckPartition(new PartitionRef(topic, partition), since, committed, lag, reason));
    return this;
  }

  public GroupEvaluations coverage(double coverage) {
    this.coverage = coverage;
    return this;
  }

  public GroupEvaluations recommendation(Action action, String message, Integer replicas) {
    this.recommendation = new Recommendation(action, message, replicas, List.of());
    return this;
  }

  public GroupEvaluations desiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
    return this;
  }

  public GroupEvaluation build() {
    GroupEvaluationBuilder evaluation =
        GroupEvaluationBuilder.group(groupId)
            .state(state)
            .members(members)
            .assignor(assignor)
            .topics(topics.stream().sorted().toList())
            .lag(lag != null ? lag : lagOfPartitions())
            .lagSeconds(lagSeconds)
            .slo(sloCompliance, sloCompliant)
            .fairness(fairnessGini, fair)
            .rebalances(rebalances, rebalanceScore, rebalanceStable)
            .stuck(stuck)
            .coverage(coverage)
            .recommendation(recommendation)
            .desiredReplicas(desiredReplicas);
    partitions.forEach(evaluation::partition);
    return evaluation.build();
  }

  /** Nearest-rank p50 and p95, max and total of the partitions' lag. */
  private LagStats lagOfPartitions() {
    long[] lags = partitions.stream().mapToLong(PartitionLag::lag).sorted().toArray();
    if (lags.length == 0) {
      return new LagStats(0, 0, 0, 0);
    }
    return new LagStats(
        lags[(int) Math.ceil(0.50 * lags.length) - 1],
        lags[(int) Math.ceil(0.95 * lags.length) - 1],
        lags[lags.length - 1],
        java.util.Arrays.stream(lags).sum());
  }
}
