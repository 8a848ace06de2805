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
 *   <li><b>The record's own time</b>: behind, and no two retained points bracket the offset (the
 *       log end passed it before the retained history began, or there is only one point), but the
 *       timestamp of the oldest unconsumed record was read: the lag is its age. This keeps the lag
 *       of a partition whose producer went quiet honest: it goes on growing instead of freezing at
 *       the age of the history.
 *   <li><b>Too few points</b>: behind, fewer than two points, and no record time: {@link #UNKNOWN}
 *       (never 0, which would claim the group is current).
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

  /** No record time was read. */
  public static final long NO_RECORD_TIME = -1;

  /**
   * The lag in seconds of a group at {@code offset}, as of the newest point of the timeline, from
   * the timeline alone.
   *
   * @return seconds, never negative; {@link #UNKNOWN} when the timeline has too few points
   */
  public static double secondsBehind(OffsetTimeline timeline, long offset) {
    return secondsBehind(timeline, offset, NO_RECORD_TIME);
  }

  /**
   * Whether the timeline's points bracket {@code offset}: some retained point had a log end at or
   * below it, so the moment the log end passed it can be interpolated. The oldest {@code evicted}
   * points are not counted, for a caller asking before a new point pushes them out.
   */
  public static boolean canInterpolate(OffsetTimeline timeline, long offset, int evicted) {
    for (int age = 0; age < timeline.size() - evicted; age++) {
      if (timeline.logEnd(age) <= offset) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lag in seconds of a group at {@code offset}, as of the newest point of the timeline.
   *
   * @param recordTimeMillis the timestamp of the oldest unconsumed record, or {@link
   *     #NO_RECORD_TIME}; used when the points do not bracket the offset
   * @return seconds, never negative; {@link #UNKNOWN} when the timeline has too few points and no
   *     record time is given
   */
  public static double secondsBehind(OffsetTimeline timeline, long offset, long recordTimeMillis) {
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
      return recordTimeMillis >= 0 ? seconds(newestTime - recordTimeMillis) : UNKNOWN;
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
    if (recordTimeMillis >= 0) {
      return seconds(newestTime - recordTimeMillis);
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
