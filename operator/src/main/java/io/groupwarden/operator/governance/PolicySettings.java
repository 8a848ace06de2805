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
 * @param recoveryTime how long a raised problem must stay resolved before it is cleared; null for
 *     the default of each problem, the smaller of its window and {@link #MAX_DEFAULT_RECOVERY}
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
    Autoscale autoscale,
    Duration recoveryTime) {

  /** The longest default recovery time: a problem that went away is cleared after at most this. */
  public static final Duration MAX_DEFAULT_RECOVERY = Duration.ofMinutes(5);

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
        null,
        null);
  }

  /**
   * How long a problem judged over {@code window} must stay resolved before it is cleared: the
   * policy's recovery time when set, else the smaller of the window and {@link
   * #MAX_DEFAULT_RECOVERY}.
   */
  public Duration recoveryAfter(Duration window) {
    if (recoveryTime != null) {
      return recoveryTime;
    }
    return window.compareTo(MAX_DEFAULT_RECOVERY) < 0 ? window : MAX_DEFAULT_RECOVERY;
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
