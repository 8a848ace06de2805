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
}
