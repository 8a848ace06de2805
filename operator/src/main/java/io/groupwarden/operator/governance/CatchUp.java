package io.groupwarden.operator.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a partition, or a group, will have caught up: from how fast messages arrive and how fast the
 * group consumes them, both measured over the SLO window.
 *
 * <ul>
 *   <li>The production rate is the log end's advance over the window divided by its span, so a
 *       burst counts in the average for as long as it lies within the window.
 *   <li>The consumption rate is measured only over the steps between samples where the partition
 *       was behind: a consumer that is caught up commits what arrives, which says how fast the
 *       producer is, not how fast the consumer could go. Records deleted by retention do not count
 *       as consumed: a committed offset below the log start counts its progress from the log start
 *       (a group that resets to the log start after losing records has consumed nothing by it).
 *   <li>Caught up: no lag, or no more lag than the group consumed since the sample before, so that
 *       at its last pace it clears the rest within one sampling interval: a consumer that keeps
 *       pace with a steady stream is always a little behind.
 *   <li>Catching up: lag now / (consumption − production) seconds. Not catching up: consumption
 *       does not exceed production. Unknown: the partition is behind but was never behind over a
 *       whole step of the window, so the consumer's pace is not known yet.
 * </ul>
 *
 * @param state which of the cases holds
 * @param seconds the time until lag reaches zero when catching up, 0 when caught up, else null
 * @param producedPerSecond messages arriving per second over the window
 * @param consumedPerSecond messages consumed per second while behind, NaN when not measured
 */
public record CatchUp(
    State state, Double seconds, double producedPerSecond, double consumedPerSecond) {

  /** Where the partition or group stands. */
  public enum State {
    CAUGHT_UP,
    CATCHING_UP,
    NOT_CATCHING_UP,
    UNKNOWN
  }

  /** The estimate for one partition at {@code now}, over the window ending then. */
  public static CatchUp of(PartitionTimeline partition, Duration window, Instant now) {
    return of(partition, partition.oldestAfter(now.minus(window).toEpochMilli()));
  }

  /**
   * The estimate for one partition over the window whose oldest sample has age {@code oldest}, for
   * a caller that found it once for all partitions of a group (they share their sample times).
   */
  public static CatchUp of(PartitionTimeline partition, int oldest) {
    long lag = partition.lag(0);
    double produced = Double.NaN;
    if (oldest >= 1) {
      long span = partition.timeMillis(0) - partition.timeMillis(oldest);
      long arrived = Math.max(0, partition.logEnd(0) - partition.logEnd(oldest));
      produced = span > 0 ? arrived * 1000.0 / span : Double.NaN;
    }
    long lastConsumed = partition.size() < 2 ? 0 : partition.origin(0) - lagOrigin(partition, 1);
    if (lag == 0 || lag <= lastConsumed) {
      return new CatchUp(State.CAUGHT_UP, 0.0, orZero(produced), Double.NaN);
    }
    if (Double.isNaN(produced)) {
      return new CatchUp(State.UNKNOWN, null, 0, Double.NaN);
    }
    long behindMillis = 0;
    long consumed = 0;
    for (int age = 0; age < oldest; age++) {
      if (partition.lag(age + 1) == 0) {
        continue;
      }
      behindMillis += partition.timeMillis(age) - partition.timeMillis(age + 1);
      consumed += Math.max(0, partition.origin(age) - lagOrigin(partition, age + 1));
    }
    if (behindMillis <= 0) {
      return new CatchUp(State.UNKNOWN, null, produced, Double.NaN);
    }
    double consumedPerSecond = consumed * 1000.0 / behindMillis;
    if (consumedPerSecond <= produced) {
      return new CatchUp(State.NOT_CATCHING_UP, null, produced, consumedPerSecond);
    }
    return new CatchUp(
        State.CATCHING_UP, lag / (consumedPerSecond - produced), produced, consumedPerSecond);
  }

  /**
   * The estimate for a group from its partitions': the group has caught up when its slowest
   * partition has. It is not catching up when any partition is not; otherwise it catches up when
   * its slowest partition with a known pace does; unknown when no partition behind has a known
   * pace. The rates are summed over the partitions.
   */
  public static CatchUp ofGroup(List<CatchUp> partitions) {
    boolean notCatchingUp = false;
    boolean unknown = false;
    Double slowest = null;
    double produced = 0;
    double consumed = 0;
    boolean consumedKnown = false;
    for (CatchUp partition : partitions) {
      produced += partition.producedPerSecond();
      if (!Double.isNaN(partition.consumedPerSecond())) {
        consumed += partition.consumedPerSecond();
        consumedKnown = true;
      }
      switch (partition.state()) {
        case NOT_CATCHING_UP -> notCatchingUp = true;
        case UNKNOWN -> unknown = true;
        case CATCHING_UP ->
            slowest =
                slowest == null ? partition.seconds() : Math.max(slowest, partition.seconds());
        case CAUGHT_UP -> {}
      }
    }
    double consumedPerSecond = consumedKnown ? consumed : Double.NaN;
    if (notCatchingUp) {
      return new CatchUp(State.NOT_CATCHING_UP, null, produced, consumedPerSecond);
    }
    if (slowest != null) {
      return new CatchUp(State.CATCHING_UP, slowest, produced, consumedPerSecond);
    }
    if (unknown) {
      return new CatchUp(State.UNKNOWN, null, produced, consumedPerSecond);
    }
    return new CatchUp(State.CAUGHT_UP, 0.0, produced, consumedPerSecond);
  }

  /** How users read it: {@code caught up}, {@code 4m10s}, {@code not catching up}, or null. */
  public String text() {
    return switch (state) {
      case CAUGHT_UP -> "caught up";
      case CATCHING_UP -> CompactDuration.format(Duration.ofMillis(Math.round(seconds * 1000)));
      case NOT_CATCHING_UP -> "not catching up";
      case UNKNOWN -> null;
    };
  }

  /** The estimate in seconds as a gauge shows it: +Inf when not catching up, null when unknown. */
  public Double gaugeSeconds() {
    return switch (state) {
      case CAUGHT_UP, CATCHING_UP -> seconds;
      case NOT_CATCHING_UP -> Double.POSITIVE_INFINITY;
      case UNKNOWN -> null;
    };
  }

  /** Where lag is counted from at that sample: the committed offset, or the log start above it. */
  private static long lagOrigin(PartitionTimeline partition, int age) {
    return Math.max(partition.origin(age), partition.lostUpTo(age));
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
