package io.groupwarden.operator.api.view;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/consumers/groups/{group}/history}: the group's retained history, one column
 * per series, aligned on {@code times}. Values are null where unknown.
 *
 * @param cluster {@code namespace/policy}
 * @param group the group
 * @param since the start asked for
 * @param stepSeconds the spacing asked for; the newest sample of each step is kept
 * @param times sample times, epoch milliseconds, oldest first
 * @param totalLag lag in messages summed over the partitions
 * @param maxLag the largest partition lag in messages
 * @param maxLagSeconds the largest partition lag in seconds
 * @param partitions each partition's lag series
 * @param trend the evaluated numbers over time (their own times)
 * @param slo what the group is judged by; null when not known
 */
public record GroupHistoryView(
    String cluster,
    String group,
    Instant since,
    long stepSeconds,
    List<Long> times,
    List<Long> totalLag,
    List<Long> maxLag,
    List<Double> maxLagSeconds,
    List<PartitionSeriesView> partitions,
    TrendView trend,
    SloTargetView slo) {

  /** One partition's lag in messages and in seconds, aligned on the history's times. */
  public record PartitionSeriesView(
      PartitionRefView ref, List<Long> lag, List<Double> lagSeconds) {}

  /**
   * The group's evaluated numbers, one point per evaluation.
   *
   * @param times evaluation times, epoch milliseconds
   * @param sloCompliance share of partitions meeting the SLO (0 to 1), null while unknown
   * @param fairnessGini Gini coefficient of partitions per member
   * @param rebalanceScore the rebalance stability score
   */
  public record TrendView(
      List<Long> times,
      List<Double> sloCompliance,
      List<Double> fairnessGini,
      List<Integer> rebalanceScore) {}
}
