package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.CatchUp.State;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link GroupEvaluation}s for tests of what consumes them (status, metrics, API): a healthy,
 * caught-up group of two members on topic {@code orders}, with only what a test is about changed.
 */
public final class GroupEvaluationBuilder {
  private final String groupId;
  private String state = "Stable";
  private int members = 2;
  private String assignor = "range";
  private List<String> topics = List.of("orders");
  private LagStats lag = new LagStats(0, 0, 0, 0);
  private LagSecondsStats lagSeconds = new LagSecondsStats(0.0, 0.0);
  private Double sloCompliance = 1.0;
  private boolean sloCompliant = true;
  private double fairnessGini;
  private boolean fair = true;
  private int rebalances;
  private int rebalanceScore = 100;
  private boolean rebalanceStable = true;
  private List<StuckPartition> stuckPartitions = List.of();
  private double coverage = 1.0;
  private final List<PartitionLag> partitions = new ArrayList<>();
  private Recommendation recommendation =
      new Recommendation(Action.NONE, "No action needed.", null, List.of());
  private Integer desiredReplicas;
  private long recordsLost;
  private List<RetentionOverrun> overruns = List.of();
  private final List<LossRisk> lossRisks = new ArrayList<>();
  private CatchUp catchUp = new CatchUp(State.CAUGHT_UP, 0.0, 0, Double.NaN);

  private GroupEvaluationBuilder(String groupId) {
    this.groupId = groupId;
  }

  public static GroupEvaluationBuilder group(String groupId) {
    return new GroupEvaluationBuilder(groupId);
  }

  /** A partition with a committed offset, caught up in the catch-up sense, nothing lost. */
  public static PartitionLag partition(
      PartitionRef ref, long lag, Double lagSeconds, long committedOffset, String owner) {
    return new PartitionLag(
        ref,
        lag,
        lagSeconds,
        committedOffset,
        LagFrom.COMMITTED,
        owner,
        0,
        new CatchUp(State.CAUGHT_UP, 0.0, 0, Double.NaN),
        null);
  }

  public GroupEvaluationBuilder state(String state) {
    this.state = state;
    return this;
  }

  public GroupEvaluationBuilder members(int members) {
    this.members = members;
    return this;
  }

  public GroupEvaluationBuilder assignor(String assignor) {
    this.assignor = assignor;
    return this;
  }

  public GroupEvaluationBuilder topics(List<String> topics) {
    this.topics = topics;
    return this;
  }

  public GroupEvaluationBuilder lag(LagStats lag) {
    this.lag = lag;
    return this;
  }

  public GroupEvaluationBuilder lagSeconds(LagSecondsStats lagSeconds) {
    this.lagSeconds = lagSeconds;
    return this;
  }

  public GroupEvaluationBuilder slo(Double compliance, boolean compliant) {
    this.sloCompliance = compliance;
    this.sloCompliant = compliant;
    return this;
  }

  public GroupEvaluationBuilder fairness(double gini, boolean fair) {
    this.fairnessGini = gini;
    this.fair = fair;
    return this;
  }

  public GroupEvaluationBuilder rebalances(int rebalances, int score, boolean stable) {
    this.rebalances = rebalances;
    this.rebalanceScore = score;
    this.rebalanceStable = stable;
    return this;
  }

  public GroupEvaluationBuilder stuck(List<StuckPartition> stuckPartitions) {
    this.stuckPartitions = stuckPartitions;
    return this;
  }

  public GroupEvaluationBuilder coverage(double coverage) {
    this.coverage = coverage;
    return this;
  }

  public GroupEvaluationBuilder partition(PartitionLag partition) {
    this.partitions.add(partition);
    return this;
  }

  public GroupEvaluationBuilder recommendation(Recommendation recommendation) {
    this.recommendation = recommendation;
    return this;
  }

  public GroupEvaluationBuilder desiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
    return this;
  }

  /** Records lost over the group, and the partitions overrun now. */
  public GroupEvaluationBuilder lost(long recordsLost, List<RetentionOverrun> overruns) {
    this.recordsLost = recordsLost;
    this.overruns = overruns;
    return this;
  }

  /**
   * A partition whose oldest unconsumed record, {@code ageSeconds} old, {@code retention.ms} may
   * delete in {@code secondsUntilLoss}.
   */
  public GroupEvaluationBuilder lossAtRisk(
      PartitionRef ref, long lag, double ageSeconds, long retentionMs, double secondsUntilLoss) {
    lossRisks.add(
        new LossRisk(
            ref,
            lag,
            ageSeconds,
            new TopicRetention(retentionMs, null),
            new RetentionRisk(secondsUntilLoss, RetentionRisk.Basis.AGE)));
    return this;
  }

  public GroupEvaluationBuilder catchUp(CatchUp catchUp) {
    this.catchUp = catchUp;
    return this;
  }

  public GroupEvaluation build() {
    return new GroupEvaluation(
        groupId,
        state,
        members,
        assignor,
        topics,
        lag,
        lagSeconds,
        sloCompliance,
        sloCompliant,
        fairnessGini,
        fair,
        rebalances,
        rebalanceScore,
        rebalanceStable,
        stuckPartitions,
        coverage,
        partitions,
        recommendation,
        desiredReplicas,
        recordsLost,
        overruns,
        List.copyOf(lossRisks),
        catchUp,
        GroupAlerts.NONE);
  }
}
