package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.LagTimeEstimator;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.PartitionTimeline;

/**
 * The retained samples of one partition, in rings that share their slots (and so their sample
 * times) with the group's ring.
 *
 * <p>It is kept compact because a policy may watch a hundred thousand partitions: the log end and
 * the committed (or log-start) offset are {@link OffsetRing}s of {@code int} differences, the lag
 * in seconds is a {@code float} computed once when the sample arrives, the "no committed offset"
 * marks exist only for partitions that ever lacked one, and so does the sample at which the
 * committed offset last moved backwards. What retention deleted under the group is kept only for
 * partitions that ever lost records.
 */
final class PartitionHistory implements PartitionTimeline {
  private final GroupHistory group;
  private final String topic;
  private final int partition;
  private final OffsetRing logEnds;
  private final OffsetRing origins;
  private final float[] lagSeconds;
  private boolean[] fromLogStart;
  private long[] lostUpTo;
  private RetentionLoss loss;
  private int size;
  private long lastProgressMillis = -1;
  private int lastSequence = -1;
  private int rewindSequence = -1;

  PartitionHistory(GroupHistory group, String topic, int partition, int capacity) {
    this(group, topic, partition, new OffsetRing(capacity), new OffsetRing(capacity), capacity);
  }

  private PartitionHistory(
      GroupHistory group,
      String topic,
      int partition,
      OffsetRing logEnds,
      OffsetRing origins,
      int capacity) {
    this.group = group;
    this.topic = topic;
    this.partition = partition;
    this.logEnds = logEnds;
    this.origins = origins;
    this.lagSeconds = new float[capacity];
  }

  /** A copy of the newest samples that fit, for a group re-sized to {@code capacity}. */
  PartitionHistory resized(GroupHistory to, int capacity) {
    int keep = Math.min(size, capacity);
    PartitionHistory copy =
        new PartitionHistory(
            to,
            topic,
            partition,
            logEnds.resized(capacity, group, to, keep),
            origins.resized(capacity, group, to, keep),
            capacity);
    if (fromLogStart != null) {
      copy.fromLogStart = new boolean[capacity];
    }
    if (lostUpTo != null) {
      copy.lostUpTo = new long[capacity];
    }
    for (int age = 0; age < keep; age++) {
      int from = group.slot(age);
      int into = to.slot(age);
      copy.lagSeconds[into] = lagSeconds[from];
      if (fromLogStart != null) {
        copy.fromLogStart[into] = fromLogStart[from];
      }
      if (lostUpTo != null) {
        copy.lostUpTo[into] = lostUpTo[from];
      }
    }
    copy.loss = loss == null ? null : loss.copy();
    copy.size = keep;
    copy.lastProgressMillis = lastProgressMillis;
    copy.lastSequence = lastSequence;
    copy.rewindSequence = rewindSequence;
    return copy;
  }

  /** The retained samples as plain values, oldest first, with the partition's newest sample. */
  GroupImage.PartitionImage image(PartitionSample newest) {
    long[] ends = new long[size];
    long[] starts = new long[size];
    float[] seconds = new float[size];
    boolean[] noCommit = fromLogStart == null ? null : new boolean[size];
    long[] lost = lostUpTo == null ? null : new long[size];
    for (int i = 0; i < size; i++) {
      int age = size - 1 - i;
      int slot = group.slot(age);
      ends[i] = logEnds.get(slot);
      starts[i] = origins.get(slot);
      seconds[i] = lagSeconds[slot];
      if (noCommit != null) {
        noCommit[i] = fromLogStart[slot];
      }
      if (lost != null) {
        lost[i] = lostUpTo[slot];
      }
    }
    return new GroupImage.PartitionImage(
        topic,
        partition,
        ends,
        starts,
        seconds,
        noCommit,
        lastSequence,
        rewindSequence,
        lost,
        loss == null ? null : loss.image(),
        lastProgressMillis,
        newest);
  }

  /** A partition history holding an image's samples, newest at the group's newest slot. */
  static PartitionHistory restored(
      GroupHistory group, GroupImage.PartitionImage image, int capacity) {
    int keep = Math.min(Math.min(image.size(), capacity), group.size());
    int from = image.size() - keep;
    long[] ends = java.util.Arrays.copyOfRange(image.logEnds(), from, image.size());
    long[] starts = java.util.Arrays.copyOfRange(image.origins(), from, image.size());
    PartitionHistory restored =
        new PartitionHistory(
            group,
            image.topic(),
            image.partition(),
            OffsetRing.filled(capacity, ends, group),
            OffsetRing.filled(capacity, starts, group),
            capacity);
    if (image.fromLogStart() != null) {
      restored.fromLogStart = new boolean[capacity];
    }
    if (image.lostUpTo() != null) {
      restored.lostUpTo = new long[capacity];
    }
    for (int i = 0; i < keep; i++) {
      int slot = group.slot(keep - 1 - i);
      restored.lagSeconds[slot] = image.lagSeconds()[from + i];
      if (restored.fromLogStart != null) {
        restored.fromLogStart[slot] = image.fromLogStart()[from + i];
      }
      if (restored.lostUpTo != null) {
        restored.lostUpTo[slot] = image.lostUpTo()[from + i];
      }
    }
    if (image.loss() != null) {
      restored.loss = RetentionLoss.of(image.loss());
      if (restored.lostUpTo == null) {
        restored.lostUpTo = new long[capacity];
      }
    }
    restored.lastProgressMillis = image.lastProgressMillis();
    restored.size = keep;
    restored.lastSequence = image.lastSequence();
    restored.rewindSequence = image.rewindSequence();
    return restored;
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
    long position = MessageLag.position(sample);
    boolean noCommit = sample.committedOffset() == null;
    if (size > 0 && !noCommit && committed(1) && position < origin(1)) {
      // age 1 is the previous sample now that the group has advanced its slot
      rewindSequence = sequence;
    }
    size = Math.min(size + 1, lagSeconds.length);
    int slot = group.slot(0);
    logEnds.putNewest(slot, sample.logEndOffset(), group, size);
    origins.putNewest(slot, position, group, size);
    if (noCommit && fromLogStart == null) {
      fromLogStart = new boolean[lagSeconds.length];
    }
    if (fromLogStart != null) {
      fromLogStart[slot] = noCommit;
    }
    recordLoss(sample, slot);
    if (size > 1 && !noCommit && committed(1) && position > origin(1)) {
      lastProgressMillis = group.timeMillis(0);
    }
    Long recordTime = sample.oldestUnconsumedTime();
    lagSeconds[slot] =
        (float)
            LagTimeEstimator.secondsBehind(
                this,
                MessageLag.origin(sample),
                recordTime == null ? LagTimeEstimator.NO_RECORD_TIME : recordTime);
  }

  private void recordLoss(PartitionSample sample, int slot) {
    boolean lost = MessageLag.lostToRetention(sample) > 0;
    if (lost && lostUpTo == null) {
      lostUpTo = new long[lagSeconds.length];
      loss = new RetentionLoss();
    }
    if (lostUpTo != null) {
      lostUpTo[slot] = lost ? sample.logStartOffset() : 0;
    }
    if (loss != null) {
      loss.observe(sample, group.timeMillis(0));
    }
  }

  /**
   * Whether the lag in time at {@code offset} can be interpolated from this history once the next
   * sample is recorded; when it cannot, the caller reads the oldest unconsumed record's timestamp.
   */
  boolean canInterpolate(long offset) {
    boolean full = size == lagSeconds.length;
    return LagTimeEstimator.canInterpolate(this, offset, full ? 1 : 0);
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
    return logEnds.get(group.slot(age));
  }

  @Override
  public long origin(int age) {
    return origins.get(group.slot(age));
  }

  @Override
  public boolean committed(int age) {
    return fromLogStart == null || !fromLogStart[group.slot(age)];
  }

  @Override
  public double lagSeconds(int age) {
    return lagSeconds[group.slot(age)];
  }

  @Override
  public long lostUpTo(int age) {
    return lostUpTo == null ? 0 : lostUpTo[group.slot(age)];
  }

  @Override
  public long recordsLost() {
    return loss == null ? 0 : loss.total;
  }

  @Override
  public long lastProgressMillis() {
    return lastProgressMillis;
  }

  @Override
  public long overrunSinceMillis() {
    return loss == null ? -1 : loss.overrunSince;
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

  /** Whether an offset series had to widen to {@code long}s (for tests). */
  boolean widened() {
    return logEnds.isWide() || origins.isWide();
  }

  /**
   * What retention deleted under the group, for a partition that lost records at least once. Each
   * sample whose committed offset is below the log start adds the records between them not counted
   * before: a log start that moves on while the group stands still adds only its advance, and a
   * group that rewinds into records already counted adds nothing again.
   */
  private static final class RetentionLoss {
    private long total;
    private long countedUpTo;
    private long overrunSince = -1;

    void observe(PartitionSample sample, long timeMillis) {
      long lost = MessageLag.lostToRetention(sample);
      if (lost == 0) {
        overrunSince = -1;
        return;
      }
      long from = Math.max(sample.committedOffset(), countedUpTo);
      total += Math.max(0, sample.logStartOffset() - from);
      countedUpTo = Math.max(countedUpTo, sample.logStartOffset());
      if (overrunSince < 0) {
        overrunSince = timeMillis;
      }
    }

    GroupImage.Loss image() {
      return new GroupImage.Loss(total, countedUpTo, overrunSince);
    }

    static RetentionLoss of(GroupImage.Loss image) {
      RetentionLoss loss = new RetentionLoss();
      loss.total = image.total();
      loss.countedUpTo = image.countedUpTo();
      loss.overrunSince = image.overrunSinceMillis();
      return loss;
    }

    RetentionLoss copy() {
      RetentionLoss copy = new RetentionLoss();
      copy.total = total;
      copy.countedUpTo = countedUpTo;
      copy.overrunSince = overrunSince;
      return copy;
    }
  }
}
