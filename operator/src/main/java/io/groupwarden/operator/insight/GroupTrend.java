package io.groupwarden.operator.insight;

import io.groupwarden.operator.governance.GroupEvaluation;

/**
 * A group's evaluated numbers over time, one point per evaluation, in a ring as long as the
 * policy's lag history: what the group page charts beside the lag (SLO compliance, Gini, rebalance
 * score; the lag itself is read from the lag history). Stored as primitive columns, about 17 bytes
 * a point, since a policy may govern ten thousand groups. Unknown values are NaN. Safe for one
 * writer and many readers: readers copy under the ring's lock.
 */
public final class GroupTrend {
  private final long[] times;
  private final float[] compliance;
  private final float[] gini;
  private final byte[] score;
  private int head = -1;
  private int size;

  public GroupTrend(int capacity) {
    times = new long[capacity];
    compliance = new float[capacity];
    gini = new float[capacity];
    score = new byte[capacity];
  }

  /**
   * One point of the trend.
   *
   * @param sloCompliance share of partitions meeting the SLO, NaN while unknown
   * @param rebalanceScore 0 to 100
   */
  public record Point(
      long timeMillis, double sloCompliance, double fairnessGini, int rebalanceScore) {}

  /** Adds the evaluation made at {@code timeMillis}; a time not after the newest is ignored. */
  public void add(long timeMillis, GroupEvaluation g) {
    add(
        new Point(
            timeMillis,
            g.sloCompliance() == null ? Double.NaN : g.sloCompliance(),
            g.fairnessGini(),
            g.rebalanceScore()));
  }

  public synchronized void add(Point p) {
    if (size > 0 && p.timeMillis() <= times[head]) {
      return;
    }
    head = (head + 1) % times.length;
    times[head] = p.timeMillis();
    compliance[head] = (float) p.sloCompliance();
    gini[head] = (float) p.fairnessGini();
    score[head] = (byte) Math.max(0, Math.min(100, p.rebalanceScore()));
    size = Math.min(size + 1, times.length);
  }

  /** The points, oldest first. */
  public synchronized Point[] points() {
    Point[] points = new Point[size];
    for (int i = 0; i < size; i++) {
      int slot = Math.floorMod(head - (size - 1 - i), times.length);
      points[i] = new Point(times[slot], compliance[slot], gini[slot], score[slot]);
    }
    return points;
  }

  public int capacity() {
    return times.length;
  }

  /** A copy in a ring of another capacity, keeping the newest points that fit. */
  public GroupTrend resized(int capacity) {
    GroupTrend copy = new GroupTrend(capacity);
    Point[] points = points();
    for (int i = Math.max(0, points.length - capacity); i < points.length; i++) {
      copy.add(points[i]);
    }
    return copy;
  }
}
