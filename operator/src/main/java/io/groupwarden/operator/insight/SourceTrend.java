package io.groupwarden.operator.insight;

/**
 * The lag of one LagMonitor source at its latest checks, oldest first, in a small ring: the trend
 * its page draws. Lag -1 (unreachable) and unknown lag are kept as -1.
 */
public final class SourceTrend {
  /** Checks kept per source: an hour at the default interval of 10 s would be 360; keep 120. */
  public static final int CAPACITY = 120;

  private final long[] times = new long[CAPACITY];
  private final long[] lags = new long[CAPACITY];
  private int head = -1;
  private int size;

  /** One check. */
  public record Point(long timeMillis, long lag) {}

  public synchronized void add(long timeMillis, Long lag) {
    if (size > 0 && timeMillis <= times[head]) {
      return;
    }
    head = (head + 1) % CAPACITY;
    times[head] = timeMillis;
    lags[head] = lag == null ? -1 : lag;
    size = Math.min(size + 1, CAPACITY);
  }

  /** The checks, oldest first. */
  public synchronized Point[] points() {
    Point[] points = new Point[size];
    for (int i = 0; i < size; i++) {
      int slot = Math.floorMod(head - (size - 1 - i), CAPACITY);
      points[i] = new Point(times[slot], lags[slot]);
    }
    return points;
  }

  /**
   * rising, falling or flat: the newest known lag against the oldest known one of the ring, flat
   * within a tenth of the larger; null with fewer than two known values.
   */
  public String direction() {
    Point[] points = points();
    Long first = null;
    Long last = null;
    for (Point p : points) {
      if (p.lag() >= 0) {
        if (first == null) {
          first = p.lag();
        }
        last = p.lag();
      }
    }
    if (first == null || first.equals(last) && countKnown(points) < 2) {
      return null;
    }
    long tolerance = Math.max(1, Math.max(first, last) / 10);
    if (last - first > tolerance) {
      return "rising";
    }
    return first - last > tolerance ? "falling" : "flat";
  }

  private static int countKnown(Point[] points) {
    int known = 0;
    for (Point p : points) {
      if (p.lag() >= 0) {
        known++;
      }
    }
    return known;
  }
}
