package io.groupwarden.operator.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition history for tests, written oldest first as it happened: one point per sample, {@code
 * step} apart, starting at {@code first}.
 */
public final class TestTimeline implements PartitionTimeline {
  private final List<Long> times = new ArrayList<>();
  private final List<Long> logEnds = new ArrayList<>();
  private final List<Long> committed = new ArrayList<>();
  private final List<Double> lagSeconds = new ArrayList<>();
  private final List<Long> logStarts = new ArrayList<>();
  private final Instant first;
  private final Duration step;

  private TestTimeline(Instant first, Duration step) {
    this.first = first;
    this.step = step;
  }

  /** An empty history whose first sample will be at {@code first}, then every {@code step}. */
  public static TestTimeline startingAt(Instant first, Duration step) {
    return new TestTimeline(first, step);
  }

  /** Appends a sample; a null committed offset means the group had none (lag from offset 0). */
  public TestTimeline sample(long logEnd, Long committedOffset) {
    return sample(logEnd, committedOffset, Double.NaN);
  }

  /** Appends a sample with its lag in seconds as recorded. */
  public TestTimeline sample(long logEnd, Long committedOffset, double seconds) {
    return sample(0, logEnd, committedOffset, seconds);
  }

  /** Appends a sample with its log start, which may be above the committed offset. */
  public TestTimeline sample(long logStart, long logEnd, Long committedOffset, double seconds) {
    times.add(first.plus(step.multipliedBy(times.size())).toEpochMilli());
    logStarts.add(logStart);
    logEnds.add(logEnd);
    committed.add(committedOffset);
    lagSeconds.add(seconds);
    return this;
  }

  /** Appends samples that all have the same lag in seconds and none in messages. */
  public TestTimeline samplesWithLagSeconds(double... seconds) {
    for (double s : seconds) {
      sample(0, 0L, s);
    }
    return this;
  }

  /** Appends samples with the given lags in messages (log end = lag, committed = 0). */
  public TestTimeline samplesWithLag(long... lags) {
    for (long lag : lags) {
      sample(lag, 0L);
    }
    return this;
  }

  /** The time of the newest sample. */
  public Instant newestTime() {
    return Instant.ofEpochMilli(times.get(times.size() - 1));
  }

  private int index(int age) {
    return times.size() - 1 - age;
  }

  @Override
  public int size() {
    return times.size();
  }

  @Override
  public long timeMillis(int age) {
    return times.get(index(age));
  }

  @Override
  public long logEnd(int age) {
    return logEnds.get(index(age));
  }

  @Override
  public long origin(int age) {
    Long offset = committed.get(index(age));
    return offset == null ? 0 : offset;
  }

  @Override
  public boolean committed(int age) {
    return committed.get(index(age)) != null;
  }

  @Override
  public double lagSeconds(int age) {
    return lagSeconds.get(index(age));
  }

  @Override
  public long lostUpTo(int age) {
    Long offset = committed.get(index(age));
    long logStart = logStarts.get(index(age));
    return offset != null && logStart > offset ? logStart : 0;
  }

  /** Lost records as the history counts them, recomputed from the retained samples. */
  @Override
  public long recordsLost() {
    long total = 0;
    long countedUpTo = 0;
    for (int age = size() - 1; age >= 0; age--) {
      long upTo = lostUpTo(age);
      if (upTo > 0) {
        total += Math.max(0, upTo - Math.max(origin(age), countedUpTo));
        countedUpTo = Math.max(countedUpTo, upTo);
      }
    }
    return total;
  }

  @Override
  public long lastProgressMillis() {
    for (int age = 0; age + 1 < size(); age++) {
      if (committed(age) && committed(age + 1) && origin(age) > origin(age + 1)) {
        return timeMillis(age);
      }
    }
    return -1;
  }

  @Override
  public long overrunSinceMillis() {
    long since = -1;
    for (int age = 0; age < size() && lostUpTo(age) > 0; age++) {
      since = timeMillis(age);
    }
    return since;
  }
}
