package io.groupwarden.operator.support;

import io.groupwarden.operator.governance.CatchUp;
import io.groupwarden.operator.governance.Finding;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupEvaluationBuilder;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.RetentionRisk;
import io.groupwarden.operator.governance.TopicRetention;
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
  private final GroupEvaluationBuilder evaluation;
  private final List<String> topics = new ArrayList<>();
  private final List<StuckPartition> stuck = new ArrayList<>();
  private final List<PartitionLag> partitions = new ArrayList<>();
  private LagStats lag;
  private long recordsLost;
  private final List<RetentionOverrun> overruns = new ArrayList<>();
  private final List<LossRisk> lossRisks = new ArrayList<>();

  private GroupEvaluations(String groupId) {
    this.evaluation =
        GroupEvaluationBuilder.group(groupId)
            .members(1)
            .lagSeconds(new LagSecondsStats(null, null))
            .recommendation(new Recommendation(Action.NONE, "No action needed.", null, List.of()));
  }

  public static GroupEvaluations group(String groupId) {
    return new GroupEvaluations(groupId);
  }

  public GroupEvaluations state(String state) {
    evaluation.state(state);
    return this;
  }

  public GroupEvaluations members(int members) {
    evaluation.members(members);
    return this;
  }

  public GroupEvaluations assignor(String assignor) {
    evaluation.assignor(assignor);
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

  /** A partition as the evaluation states it, with every field chosen. */
  public GroupEvaluations partition(PartitionLag partition) {
    partitions.add(partition);
    return topic(partition.ref().topic());
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
    evaluation.lagSeconds(new LagSecondsStats(p95, max));
    return this;
  }

  public GroupEvaluations sloCompliance(Double compliance, boolean compliant) {
    evaluation.slo(compliance, compliant);
    return this;
  }

  public GroupEvaluations fairness(double gini, boolean fair) {
    evaluation.fairness(gini, fair);
    return this;
  }

  public GroupEvaluations rebalances(int rebalances, int score, boolean stable) {
    evaluation.rebalances(rebalances, score, stable);
    return this;
  }

  public GroupEvaluations stuck(
      String topic, int partition, Instant since, long committed, long lag, StuckReason reason) {
    stuck.add(
        new StuckPartition(new PartitionRef(topic, partition), since, committed, lag, reason));
    return this;
  }

  public GroupEvaluations coverage(double coverage) {
    evaluation.coverage(coverage);
    return this;
  }

  public GroupEvaluations recommendation(Action action, String message, Integer replicas) {
    evaluation.recommendation(new Recommendation(action, message, replicas, List.of()));
    return this;
  }

  /** Records lost over the group, and a partition whose committed offset is below its log start. */
  public GroupEvaluations lost(
      long recordsLost, String topic, int partition, long committed, long logStart, Instant since) {
    this.recordsLost = recordsLost;
    overruns.add(
        new RetentionOverrun(
            new PartitionRef(topic, partition), committed, logStart, logStart - committed, since));
    return this;
  }

  /** A partition whose oldest unconsumed record {@code retention.ms} may delete soon. */
  public GroupEvaluations lossAtRisk(
      String topic, int partition, long lag, double ageSeconds, long retentionMs, double lossIn) {
    lossRisks.add(
        new LossRisk(
            new PartitionRef(topic, partition),
            lag,
            ageSeconds,
            new TopicRetention(retentionMs, null),
            new RetentionRisk(lossIn, RetentionRisk.Basis.AGE)));
    return this;
  }

  public GroupEvaluations catchUp(CatchUp catchUp) {
    evaluation.catchUp(catchUp);
    return this;
  }

  /** The recommendation with its findings, most severe first. */
  public GroupEvaluations recommendation(
      Action action, String message, Integer replicas, List<Finding> findings) {
    evaluation.recommendation(new Recommendation(action, message, replicas, findings));
    return this;
  }

  public GroupEvaluations desiredReplicas(Integer desiredReplicas) {
    evaluation.desiredReplicas(desiredReplicas);
    return this;
  }

  /** The evaluation; call once, as the partitions given are added to it. */
  public GroupEvaluation build() {
    evaluation.lost(recordsLost, List.copyOf(overruns)).lossRisks(List.copyOf(lossRisks));
    partitions.forEach(evaluation::partition);
    return evaluation
        .topics(topics.stream().sorted().toList())
        .lag(lag != null ? lag : lagOfPartitions())
        .stuck(stuck)
        .build();
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
