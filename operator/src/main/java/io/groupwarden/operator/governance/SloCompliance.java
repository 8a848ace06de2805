package io.groupwarden.operator.governance;

import java.time.Instant;
import java.util.function.IntToDoubleFunction;

/**
 * The lag SLO of a group: the share of its partitions whose p95 lag over the SLO window (the
 * samples taken after {@code now − window}) is within the bound. The bound is in messages when
 * {@code maxLagP95Messages} is set, otherwise in time ({@code maxLagP95}). Percentiles are
 * nearest-rank ({@link NearestRank}).
 *
 * <p>Lag in time is unknown only for a partition that is behind and has a single sample (see {@link
 * LagTimeEstimator}); such samples are left out of that partition's p95, and a partition none of
 * whose samples in the window has a known lag time is left out of the share altogether, neither
 * compliant nor violating. When no partition can be judged, the compliance is unknown ({@code
 * null}): a group seen for the first time is not declared compliant on no evidence.
 */
public final class SloCompliance {
  private static final int PERCENTILE = 95;

  private final Long maxLagMessages;
  private final double maxLagSeconds;
  private final long windowStartMillis;

  private int judged;
  private int compliant;

  private SloCompliance(PolicySettings settings, Instant now) {
    this.maxLagMessages = settings.maxLagP95Messages();
    this.maxLagSeconds =
        settings.maxLagP95() == null ? 0 : settings.maxLagP95().toNanos() / 1_000_000_000.0;
    this.windowStartMillis = now.minus(settings.sloWindow()).toEpochMilli();
  }

  /** A tally for one group under the given settings at {@code now}. */
  public static SloCompliance tally(PolicySettings settings, Instant now) {
    return new SloCompliance(settings, now);
  }

  /**
   * Adds one partition; returns whether its p95 over the window is within the bound, or null when
   * it cannot be judged.
   */
  public Boolean add(PartitionTimeline partition) {
    Boolean within =
        maxLagMessages != null
            ? withinMessages(partition, maxLagMessages, windowStartMillis)
            : withinSeconds(partition, maxLagSeconds, windowStartMillis);
    if (within != null) {
      judged++;
      if (within) {
        compliant++;
      }
    }
    return within;
  }

  /** The share of judged partitions that are within the bound, or null when none was judged. */
  public Double compliance() {
    return judged == 0 ? null : (double) compliant / judged;
  }

  /** Whether the compliance meets the target; an unknown compliance is no evidence of violation. */
  public static boolean meetsTarget(Double compliance, double target) {
    return compliance == null || compliance >= target;
  }

  /** Whether a partition's p95 lag in messages over the window is within the bound. */
  public static Boolean withinMessages(
      PartitionTimeline partition, long maxMessages, long windowStartMillis) {
    // a lag is exact as a double up to 2^53 messages
    return withinBound(partition, partition::lag, maxMessages, windowStartMillis);
  }

  /**
   * Whether a partition's p95 lag in seconds over the window is within the bound; samples of
   * unknown lag time are left out.
   */
  public static Boolean withinSeconds(
      PartitionTimeline partition, double maxSeconds, long windowStartMillis) {
    return withinBound(partition, partition::lagSeconds, maxSeconds, windowStartMillis);
  }

  /**
   * Whether the p95 of one of a partition's series over the window is within the bound; samples
   * whose value is unknown (NaN) are left out, and without a known sample the answer is null.
   */
  private static Boolean withinBound(
      PartitionTimeline partition,
      IntToDoubleFunction valueAt,
      double bound,
      long windowStartMillis) {
    int samples = 0;
    int exceeding = 0;
    for (int age = 0; age < partition.size(); age++) {
      if (partition.timeMillis(age) <= windowStartMillis) {
        break;
      }
      double value = valueAt.applyAsDouble(age);
      if (Double.isNaN(value)) {
        continue;
      }
      samples++;
      if (value > bound) {
        exceeding++;
      }
    }
    return samples == 0 ? null : NearestRank.withinBound(samples, exceeding, PERCENTILE);
  }
}
