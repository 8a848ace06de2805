package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.PolicySettings.Autoscale;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * How many consumers a group needs. With autoscale settings, the policy's own target decides:
 * {@code ceil(totalLag / lagPerReplica)}, or {@code ceil(current × lagSecondsP95 /
 * targetLagSeconds)}, clamped to {@code [minReplicas, min(maxReplicas, partitions)]}. Without them,
 * the need is estimated from how fast messages arrive and how fast the present members commit over
 * the SLO window, plus what it takes to clear the present backlog within one more window: {@code
 * ceil(members × (productionRate + totalLag / window) / consumptionRate)}, never above the
 * partition count. Without the backlog term a group that falls behind would be told to run just
 * enough consumers to keep its lag where it is.
 */
public final class ReplicaEstimator {
  private ReplicaEstimator() {}

  /**
   * An estimate and the clause that explains it.
   *
   * @param replicas the consumers needed
   * @param because why, as a clause to follow a colon
   */
  public record Estimate(int replicas, String because) {}

  /**
   * The count the policy's autoscale settings ask for.
   *
   * @param autoscale the settings
   * @param current the consumers now (group members); taken as 1 when 0, so that lag with no
   *     consumer still asks for some
   * @param totalLag lag in messages over the group's partitions
   * @param lagSecondsP95 p95 lag in seconds over the partitions, null when unknown
   * @param partitions the group's partition count (the ceiling)
   */
  public static Estimate fromAutoscale(
      Autoscale autoscale, int current, long totalLag, Double lagSecondsP95, int partitions) {
    ScaleBounds bounds =
        new ScaleBounds(autoscale.minReplicas(), autoscale.maxReplicas(), partitions);
    long raw;
    String because;
    if (autoscale.lagPerReplica() != null && autoscale.lagPerReplica() > 0) {
      long perReplica = autoscale.lagPerReplica();
      raw = Math.floorDiv(totalLag + perReplica - 1, perReplica);
      because =
          String.format(
              Locale.ROOT,
              "a total lag of %d messages at %d per consumer needs %d",
              totalLag,
              perReplica,
              raw);
    } else if (autoscale.targetLagSeconds() != null
        && autoscale.targetLagSeconds() > 0
        && lagSecondsP95 != null) {
      int base = Math.max(1, current);
      raw = (long) Math.ceil(base * lagSecondsP95 / autoscale.targetLagSeconds());
      because =
          String.format(
              Locale.ROOT,
              "a p95 lag of %.1fs with %d consumers against a %.1fs target needs %d",
              lagSecondsP95,
              current,
              autoscale.targetLagSeconds(),
              raw);
    } else {
      raw = current;
      because = "the lag in time is not known yet";
    }
    int replicas = bounds.clamp(raw);
    if (replicas != raw) {
      because +=
          String.format(
              Locale.ROOT, ", and %d to %d are allowed", bounds.floor(), bounds.ceiling());
    }
    return new Estimate(replicas, because);
  }

  /**
   * The count that would consume as fast as messages arrive and clear the present backlog within
   * one more window, from the rates over the window; null when it cannot be told: no member, fewer
   * than two samples, or nothing committed.
   */
  public static Estimate fromRates(GroupTimeline timeline, Duration window, Instant now) {
    return fromRates(timeline, window, now, index -> false);
  }

  /**
   * {@link #fromRates(GroupTimeline, Duration, Instant)} over the partitions not skipped: stuck
   * partitions are, since more consumers would not move them, and counting what arrives there would
   * ask for consumers that could not help.
   *
   * @param skip whether to leave out the partition at an index of the newest sample
   */
  public static Estimate fromRates(
      GroupTimeline timeline, Duration window, Instant now, IntPredicate skip) {
    int members = timeline.latest().members().size();
    int partitions = timeline.latest().partitions().size();
    if (members == 0 || partitions == 0) {
      return null;
    }
    long windowStart = now.minus(window).toEpochMilli();
    double produced = 0;
    double consumed = 0;
    long backlog = 0;
    for (int i = 0; i < partitions; i++) {
      if (skip.test(i)) {
        continue;
      }
      PartitionTimeline partition = timeline.partition(i);
      backlog += partition.lag(0);
      int oldest = partition.oldestAfter(windowStart);
      if (oldest < 1) {
        continue;
      }
      double seconds = (partition.timeMillis(0) - partition.timeMillis(oldest)) / 1000.0;
      if (seconds <= 0) {
        continue;
      }
      produced += (partition.logEnd(0) - partition.logEnd(oldest)) / seconds;
      if (partition.committed(0) && partition.committed(oldest)) {
        // records retention deleted under the group are not consumed
        long from = Math.max(partition.origin(oldest), partition.lostUpTo(oldest));
        consumed += Math.max(0, partition.origin(0) - from) / seconds;
      }
    }
    if (consumed <= 0) {
      return null;
    }
    double windowSeconds = Math.max(1, window.toMillis() / 1000.0);
    long needed = (long) Math.ceil(members * (produced + backlog / windowSeconds) / consumed);
    int replicas = (int) Math.max(1, Math.min(partitions, needed));
    String behind =
        backlog == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " and %d are behind (to clear within %s),",
                backlog,
                CompactDuration.format(window));
    String because =
        String.format(
            Locale.ROOT,
            "%.1f messages/s arrive%s but %s %.1f messages/s",
            produced,
            behind,
            members == 1 ? "the one consumer commits" : "the " + members + " consumers commit",
            consumed);
    if (needed > partitions) {
      because += String.format(Locale.ROOT, ", and %d partitions allow no more", partitions);
    }
    return new Estimate(replicas, because);
  }
}
