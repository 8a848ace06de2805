package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.LagTimeEstimator;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.PartitionTimeline;

/**
 * The retained samples of one partition, in rings that share their slots (and so their sample
 * times) with the group's ring.
 *
 * <p>It is kept compact because a policy may watch a hundred thousand partitions: offsets are
 * stored as {@code int} differences from a {@code long} base per series (log end, and committed or
 * log-start offset), lag in seconds as a {@code float} computed once when the sample arrives, and
 * the "no committed offset" marks only for partitions that ever lacked one. When an offset falls
 * outside the {@code int} range of its base, the series is rebased on its smallest retained value;
 * if the retained values themselves span more than that range (over two billion messages within the
 * window), the oldest samples are dropped until they fit.
 */
final class PartitionHistory implements PartitionTimeline {
  private final GroupHistory group;
  private final String topic;
  private final int partition;
  private final int[] logEnds;
  private final int[] origins;
  private final float[] lagSeconds;
  private boolean[] fromLogStart;
  private long logEndBase;
  private long originBase;
  private int size;
  private int lastSequence = -1;
  private int rewindSequence = -1;

  PartitionHistory(GroupHistory group, String topic, int partition, int capacity) {
    this.group = group;
    this.topic = topic;
    this.partition = partition;
    this.logEnds = new int[capacity];
    this.origins = new int[capacity];
    this.lagSeconds = new float[capacity];
  }

  String topic() {
    return topic;
  }

  int partition() {
    return partition;
  }

  boolean is(PartitionSample sample) {
    return partition == sample.partition() && topic.equals(sample.topic());
  }

  /**
   * Stores the sample in the group's newest slot, which the group has just advanced to, and
   * computes its lag in seconds over the history including it. A second sample of the same
   * partition in one group sample is ignored.
   */
  void append(PartitionSample sample, int sequence) {
    if (sequence == lastSequence) {
      return;
    }
    lastSequence = sequence;
    long logEnd = sample.logEndOffset();
    long origin = MessageLag.origin(sample);
    boolean noCommit = sample.committedOffset() == null;
    if (size == 0) {
      logEndBase = logEnd;
      originBase = origin;
    } else if (!noCommit && committed(1) && origin < origin(1)) {
      // age 1 is the previous sample now that the group has advanced its slot
      rewindSequence = sequence;
    }
    size = Math.min(size + 1, logEnds.length);
    if (!fits(logEnd - logEndBase) || !fits(origin - originBase)) {
      rebase(logEnd, origin);
    }
    int slot = group.slot(0);
    logEnds[slot] = (int) (logEnd - logEndBase);
    origins[slot] = (int) (origin - originBase);
    if (noCommit && fromLogStart == null) {
      fromLogStart = new boolean[logEnds.length];
    }
    if (fromLogStart != null) {
      fromLogStart[slot] = noCommit;
    }
    lagSeconds[slot] = (float) LagTimeEstimator.secondsBehind(this, origin);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long timeMillis(int age) {
    return group.timeMillis(age);
  }

  @Override
  public long logEnd(int age) {
    return logEndBase + logEnds[group.slot(age)];
  }

  @Override
  public long origin(int age) {
    return originBase + origins[group.slot(age)];
  }

  @Override
  public boolean committed(int age) {
    return fromLogStart == null || !fromLogStart[group.slot(age)];
  }

  @Override
  public double lagSeconds(int age) {
    return lagSeconds[group.slot(age)];
  }

  /** Tracked as samples arrive, so evaluation need not scan the window for it. */
  @Override
  public int newestRewind() {
    if (rewindSequence < 0) {
      return -1;
    }
    int age = lastSequence - rewindSequence;
    return age + 1 < size ? age : -1;
  }

  @Override
  public long lag(int age) {
    int slot = group.slot(age);
    return Math.max(0, logEndBase + logEnds[slot] - originBase - origins[slot]);
  }

  /**
   * Moves both bases to the smallest retained value of their series, after dropping the oldest
   * samples whose values would make a series span more than an {@code int}. Age 0 is the slot being
   * written; its new values are passed in.
   */
  private void rebase(long newLogEnd, long newOrigin) {
    long minEnd = newLogEnd;
    long maxEnd = newLogEnd;
    long minOrigin = newOrigin;
    long maxOrigin = newOrigin;
    int kept = 1;
    for (int age = 1; age < size; age++) {
      long end = logEnd(age);
      long origin = origin(age);
      long lowEnd = Math.min(minEnd, end);
      long highEnd = Math.max(maxEnd, end);
      long lowOrigin = Math.min(minOrigin, origin);
      long highOrigin = Math.max(maxOrigin, origin);
      if (!fits(highEnd - lowEnd) || !fits(highOrigin - lowOrigin)) {
        break;
      }
      minEnd = lowEnd;
      maxEnd = highEnd;
      minOrigin = lowOrigin;
      maxOrigin = highOrigin;
      kept++;
    }
    for (int age = 1; age < kept; age++) {
      int slot = group.slot(age);
      logEnds[slot] = (int) (logEndBase + logEnds[slot] - minEnd);
      origins[slot] = (int) (originBase + origins[slot] - minOrigin);
    }
    size = kept;
    logEndBase = minEnd;
    originBase = minOrigin;
  }

  private static boolean fits(long delta) {
    return delta >= Integer.MIN_VALUE && delta <= Integer.MAX_VALUE;
  }
}
