package io.groupwarden.operator.governance;

/**
 * A read-only view of the retained samples of one partition, newest first (age 0 is the sample the
 * newest {@link GroupSample} holds). Each sample keeps the log end, the group's position (the
 * committed offset, or the log start when the group had none), the log start when retention had
 * deleted records below it that the group had not consumed, and the lag in seconds computed when
 * the sample was recorded. Beyond the samples, it keeps what was lost to retention over all of
 * them.
 */
public interface PartitionTimeline extends OffsetTimeline {
  /** The committed offset at that sample, or the log start when the group had no committed one. */
  long origin(int age);

  /** Whether the group had a committed offset at that sample. */
  boolean committed(int age);

  /** The lag in seconds at that sample, or {@link LagTimeEstimator#UNKNOWN}. */
  double lagSeconds(int age);

  /**
   * The age of the newest sample whose committed offset is below that of the sample before it (both
   * committed), or -1 when the committed offset never moved backwards in the retained history. A
   * store that tracks this as samples arrive overrides the scan.
   */
  default int newestRewind() {
    for (int age = 0; age + 1 < size(); age++) {
      if (committed(age) && committed(age + 1) && origin(age) < origin(age + 1)) {
        return age;
      }
    }
    return -1;
  }

  /**
   * The log start at that sample when it was above the committed offset (retention had deleted
   * records the group had not consumed), else 0.
   */
  long lostUpTo(int age);

  /**
   * The lag in messages at that sample, counting only records that still existed: {@code max(0,
   * logEnd − max(origin, lostUpTo))}.
   */
  default long lag(int age) {
    return Math.max(0, logEnd(age) - Math.max(origin(age), lostUpTo(age)));
  }

  /**
   * Records deleted by retention before the group consumed them, over every sample recorded, not
   * only those retained: a count that only grows.
   */
  long recordsLost();

  /**
   * When the committed offset last advanced from one sample to the next, in epoch milliseconds,
   * over every sample recorded, not only those retained; -1 when it never did.
   */
  long lastProgressMillis();

  /**
   * When the run of samples whose committed offset is below the log start began, in epoch
   * milliseconds, if that run lasts to the newest sample; -1 when the newest sample lost nothing.
   */
  long overrunSinceMillis();
}
