package io.groupwarden.operator.governance;

/**
 * Lag in time of one partition, the kafka-lag-exporter way: how long ago the log end was at the
 * offset the group has reached. The log end history is a lookup table from offset to time; the time
 * the log end passed the group's offset is interpolated linearly between the two points that
 * bracket it, and the lag is the newest point's time minus that time.
 *
 * <p>The edge cases are explicit:
 *
 * <ul>
 *   <li><b>Caught up</b>: the offset is at or past the newest log end: 0 seconds.
 *   <li><b>Too few points</b>: behind, but fewer than two points: {@link #UNKNOWN} (never 0, which
 *       would claim the group is current).
 *   <li><b>Extrapolation</b>: the offset is older than the oldest retained point: the time is
 *       extrapolated backwards from the oldest point along the average production rate of the
 *       retained history (newest minus oldest).
 *   <li><b>Flat history</b>: behind, older than every retained point, and nothing was produced over
 *       the retained history: the rate is zero and cannot be extrapolated; the lag is the age of
 *       the oldest point, a lower bound, since the log end already was past the offset then.
 * </ul>
 *
 * Inside the table, flat stretches need no special case: the time found is the last moment the log
 * end still was at the offset, which is what "time since the committed offset was the log end"
 * means.
 */
public final class LagTimeEstimator {
  /** The result when the lag time cannot be known. */
  public static final double UNKNOWN = Double.NaN;

  private LagTimeEstimator() {}

  /**
   * The lag in seconds of a group at {@code offset}, as of the newest point of the timeline.
   *
   * @return seconds, never negative; {@link #UNKNOWN} when the timeline has too few points
   */
  public static double secondsBehind(OffsetTimeline timeline, long offset) {
    int size = timeline.size();
    if (size == 0) {
      return UNKNOWN;
    }
    long newestTime = timeline.timeMillis(0);
    long newestEnd = timeline.logEnd(0);
    if (offset >= newestEnd) {
      return 0;
    }
    if (size < 2) {
      return UNKNOWN;
    }
    long newerTime = newestTime;
    long newerEnd = newestEnd;
    for (int age = 1; age < size; age++) {
      long time = timeline.timeMillis(age);
      long end = timeline.logEnd(age);
      if (end <= offset) {
        // end <= offset < newerEnd: the log end passed the offset between these two points
        double fraction = (double) (offset - end) / (newerEnd - end);
        double passedAt = time + fraction * (newerTime - time);
        return seconds(newestTime - passedAt);
      }
      newerTime = time;
      newerEnd = end;
    }
    long oldestTime = newerTime;
    long oldestEnd = newerEnd;
    long span = newestTime - oldestTime;
    long produced = newestEnd - oldestEnd;
    if (span <= 0 || produced <= 0) {
      return seconds(span);
    }
    double millisPerMessage = (double) span / produced;
    double passedAt = oldestTime - (oldestEnd - offset) * millisPerMessage;
    return seconds(newestTime - passedAt);
  }

  private static double seconds(double millis) {
    return Math.max(0, millis) / 1000.0;
  }
}
