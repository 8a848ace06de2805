package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.PolicySettings;
import java.time.Duration;

/**
 * How much history one policy keeps, derived from the windows it evaluates over.
 *
 * <p>Per partition, the longest of the SLO and stuck windows must be covered: {@code ceil(window /
 * interval)} samples span it, one more reaches its start (the stuck rule needs a sample at or
 * before {@code now − window}), and {@value #SLACK} more absorb sampling jitter. Lag in time is
 * interpolated over the same samples when they are recorded, and extrapolated beyond them; so that
 * very short windows still give the extrapolation a rate measured over more than a moment, at least
 * {@value #MIN_INTERPOLATION_SAMPLES} samples are kept.
 *
 * <p>Per group, rebalances are kept as the times they were observed, at most one per sample over
 * the rebalance window.
 *
 * @param samples samples kept per group and per partition
 * @param rebalanceWindow how long observed rebalances are kept
 * @param rebalances the most rebalance times kept per group
 */
public record HistoryCapacity(int samples, Duration rebalanceWindow, int rebalances) {
  /** Extra samples beyond the windows, for jitter in the sample spacing. */
  public static final int SLACK = 2;

  /** The fewest samples kept, so that lag in time has a history to be read from. */
  public static final int MIN_INTERPOLATION_SAMPLES = 10;

  public HistoryCapacity {
    if (samples < 2) {
      throw new IllegalArgumentException("at least 2 samples are needed, got " + samples);
    }
    if (rebalances < 1) {
      throw new IllegalArgumentException("at least 1 rebalance must be kept, got " + rebalances);
    }
  }

  /** The capacity the settings' windows and interval need. */
  public static HistoryCapacity of(PolicySettings settings) {
    Duration interval = settings.interval();
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("the interval must be positive, was " + interval);
    }
    Duration longest = max(settings.sloWindow(), settings.stuckWindow());
    int samples = Math.max(samplesIn(longest, interval) + 1, MIN_INTERPOLATION_SAMPLES) + SLACK;
    int rebalances = samplesIn(settings.rebalanceWindow(), interval) + SLACK;
    return new HistoryCapacity(samples, settings.rebalanceWindow(), rebalances);
  }

  private static int samplesIn(Duration window, Duration interval) {
    long millis = Math.max(0, window.toMillis());
    long step = interval.toMillis();
    long count = (millis + step - 1) / step;
    if (count > 1_000_000) {
      throw new IllegalArgumentException(
          "a window of " + window + " at an interval of " + interval + " needs too many samples");
    }
    return (int) count;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
