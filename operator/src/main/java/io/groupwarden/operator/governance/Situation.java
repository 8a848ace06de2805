package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the recommendation is drawn from, every problem as settled by its hysteresis. Build it with
 * {@link #builder}.
 *
 * @param latest the newest sample
 * @param owners the owning member per assigned partition
 * @param overruns partitions that lost records to retention
 * @param lossRisks partitions at risk of losing records within the SLO window
 * @param stuck the stuck partitions
 * @param underProvisioned the group that cannot keep up, or null
 * @param sloViolated whether the lag SLO is missed
 * @param sloCompliance the share of partitions within the bound, null when unknown
 * @param complianceTarget the share required
 * @param unconsumed partitions no member owns and that are not stuck, sorted
 * @param unconsumedLag their lag in messages
 * @param fair whether the assignment is even enough
 * @param gini the fairness Gini coefficient
 * @param maxGini the largest acceptable one
 * @param rebalanceStable whether the rebalance score meets the minimum
 * @param rebalances rebalances in the rebalance window
 * @param rebalanceWindow that window
 * @param autoscaleEstimate the count the policy's autoscale settings ask for, null without them
 * @param now the evaluation time
 */
public record Situation(
    GroupSample latest,
    Map<PartitionRef, String> owners,
    List<RetentionOverrun> overruns,
    List<LossRisk> lossRisks,
    List<Detection> stuck,
    UnderProvisioned underProvisioned,
    boolean sloViolated,
    Double sloCompliance,
    double complianceTarget,
    List<PartitionRef> unconsumed,
    long unconsumedLag,
    boolean fair,
    double gini,
    double maxGini,
    boolean rebalanceStable,
    int rebalances,
    Duration rebalanceWindow,
    Estimate autoscaleEstimate,
    Instant now) {

  /** A situation with no problem: every problem is added by name. */
  public static Builder builder(GroupSample latest, Instant now) {
    return new Builder(latest, now);
  }

  /** Builds a {@link Situation}; what is not set is healthy. */
  public static final class Builder {
    private final GroupSample latest;
    private final Instant now;
    private Map<PartitionRef, String> owners;
    private List<RetentionOverrun> overruns = List.of();
    private List<LossRisk> lossRisks = List.of();
    private List<Detection> stuck = List.of();
    private UnderProvisioned underProvisioned;
    private boolean sloViolated;
    private Double sloCompliance;
    private double complianceTarget = PolicySettings.defaults().complianceTarget();
    private List<PartitionRef> unconsumed = List.of();
    private long unconsumedLag;
    private boolean fair = true;
    private double gini;
    private double maxGini = PolicySettings.defaults().maxGini();
    private boolean rebalanceStable = true;
    private int rebalances;
    private Duration rebalanceWindow = PolicySettings.defaults().rebalanceWindow();
    private Estimate autoscaleEstimate;

    private Builder(GroupSample latest, Instant now) {
      this.latest = latest;
      this.now = now;
    }

    /** The owners; by default read from the sample's assignment. */
    public Builder owners(Map<PartitionRef, String> owners) {
      this.owners = owners;
      return this;
    }

    public Builder overruns(List<RetentionOverrun> overruns) {
      this.overruns = overruns;
      return this;
    }

    public Builder lossRisks(List<LossRisk> lossRisks) {
      this.lossRisks = lossRisks;
      return this;
    }

    public Builder stuck(List<Detection> stuck) {
      this.stuck = stuck;
      return this;
    }

    public Builder underProvisioned(UnderProvisioned underProvisioned) {
      this.underProvisioned = underProvisioned;
      return this;
    }

    /** The SLO as missed (or met) with this compliance against this target. */
    public Builder slo(boolean violated, Double compliance, double target) {
      this.sloViolated = violated;
      this.sloCompliance = compliance;
      this.complianceTarget = target;
      return this;
    }

    public Builder unconsumed(List<PartitionRef> unconsumed, long lag) {
      this.unconsumed = unconsumed;
      this.unconsumedLag = lag;
      return this;
    }

    /** The assignment's fairness: whether it is fair, its Gini and the largest acceptable one. */
    public Builder fairness(boolean fair, double gini, double maxGini) {
      this.fair = fair;
      this.gini = gini;
      this.maxGini = maxGini;
      return this;
    }

    /** The group's stability: whether it is stable, and its rebalances within the window. */
    public Builder stability(boolean stable, int rebalances, Duration window) {
      this.rebalanceStable = stable;
      this.rebalances = rebalances;
      this.rebalanceWindow = window;
      return this;
    }

    public Builder autoscaleEstimate(Estimate autoscaleEstimate) {
      this.autoscaleEstimate = autoscaleEstimate;
      return this;
    }

    public Situation build() {
      return new Situation(
          latest,
          owners != null ? owners : Coverage.owners(latest),
          overruns,
          lossRisks,
          stuck,
          underProvisioned,
          sloViolated,
          sloCompliance,
          complianceTarget,
          unconsumed,
          unconsumedLag,
          fair,
          gini,
          maxGini,
          rebalanceStable,
          rebalances,
          rebalanceWindow,
          autoscaleEstimate,
          now);
    }
  }
}
