package io.groupwarden.operator.governance;

import java.time.Duration;

/**
 * The evaluation settings of one policy, resolved from its spec with defaults applied.
 *
 * @param interval the evaluation period (sample spacing)
 * @param maxLagP95 the SLO bound on per-partition p95 lag in time; null when the bound is in
 *     messages
 * @param maxLagP95Messages the SLO bound on per-partition p95 lag in messages; null when in time
 * @param complianceTarget the share of partitions that must meet the bound (0..1)
 * @param sloWindow the window the per-partition p95 is taken over
 * @param maxGini the largest acceptable Gini coefficient of partitions per member
 * @param stuckWindow how long a partition must show no progress to be stuck
 * @param minRebalanceScore the lowest acceptable rebalance score (0..100)
 * @param rebalanceWindow the window rebalances are counted over
 * @param maxRebalances rebalances in the window that bring the score to 0
 * @param autoscale the autoscaling settings, or null when the policy does not scale
 */
public record PolicySettings(
    Duration interval,
    Duration maxLagP95,
    Long maxLagP95Messages,
    double complianceTarget,
    Duration sloWindow,
    double maxGini,
    Duration stuckWindow,
    int minRebalanceScore,
    Duration rebalanceWindow,
    int maxRebalances,
    Autoscale autoscale) {

  /** The defaults of shared/DESIGN.md, without autoscaling. */
  public static PolicySettings defaults() {
    return new PolicySettings(
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        null,
        0.95,
        Duration.ofMinutes(10),
        0.3,
        Duration.ofMinutes(5),
        70,
        Duration.ofHours(1),
        10,
        null);
  }

  /**
   * Lag-driven scaling bounds and target. Exactly one of {@code lagPerReplica} and {@code
   * targetLagSeconds} is set.
   */
  public record Autoscale(
      int minReplicas,
      int maxReplicas,
      Long lagPerReplica,
      Double targetLagSeconds,
      Duration scaleDownStabilization) {}
}
