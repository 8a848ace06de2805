package io.groupwarden.operator.governance;

/**
 * A read-only view of the (time, log end offset) points of one partition, newest first: age 0 is
 * the newest sample, age {@code size() − 1} the oldest one retained.
 */
public interface OffsetTimeline {
  /** How many points are retained. */
  int size();

  /** When the point of the given age was sampled, in epoch milliseconds. */
  long timeMillis(int age);

  /** The log end offset at the point of the given age. */
  long logEnd(int age);

  /**
   * The oldest age whose point was sampled after {@code timeMillis}, or -1 when none was: the start
   * of a window ending now. Points are newest first, so their times fall as the age grows, and a
   * binary search finds it.
   */
  default int oldestAfter(long timeMillis) {
    int low = 0;
    int high = size() - 1;
    int oldest = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (timeMillis(middle) > timeMillis) {
        oldest = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return oldest;
  }
}
