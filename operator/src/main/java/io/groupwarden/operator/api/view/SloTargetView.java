package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.PolicySettings;

/**
 * What a group is judged by: the SLO bound (in seconds or in messages), the compliance target and
 * the windows.
 *
 * @param maxLagP95Seconds the bound on per-partition p95 lag in seconds; null when in messages
 * @param maxLagP95Messages the bound in messages; null when in seconds
 * @param complianceTarget the share of partitions that must meet it
 * @param windowSeconds the SLO window
 * @param stuckWindowSeconds how long a partition must make no progress to be stuck
 * @param maxGini the largest acceptable Gini coefficient
 * @param minRebalanceScore the lowest acceptable rebalance score
 * @param intervalSeconds the evaluation period
 */
public record SloTargetView(
    Double maxLagP95Seconds,
    Long maxLagP95Messages,
    double complianceTarget,
    double windowSeconds,
    double stuckWindowSeconds,
    double maxGini,
    int minRebalanceScore,
    double intervalSeconds) {
  public static SloTargetView of(PolicySettings s) {
    if (s == null) {
      return null;
    }
    return new SloTargetView(
        s.maxLagP95() == null ? null : s.maxLagP95().toMillis() / 1000.0,
        s.maxLagP95Messages(),
        s.complianceTarget(),
        s.sloWindow().toMillis() / 1000.0,
        s.stuckWindow().toMillis() / 1000.0,
        s.maxGini(),
        s.minRebalanceScore(),
        s.interval().toMillis() / 1000.0);
  }
}
