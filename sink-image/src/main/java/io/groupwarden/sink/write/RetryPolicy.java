package io.groupwarden.sink.write;

import java.time.Duration;

/**
 * Exponential backoff: retry {@code n} (1-based) waits {@code initial × 2^(n−1)}, at most {@code
 * max}; {@code maxRetries} retries follow the first attempt.
 */
public record RetryPolicy(int maxRetries, Duration initial, Duration max) {
  public RetryPolicy {
    if (maxRetries < 0 || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "maxRetries >= 0 and 0 <= initial <= max: " + maxRetries + ", " + initial + ", " + max);
    }
  }

  /** The wait before the given retry (1 for the first retry). */
  public Duration delayBefore(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1: " + retry);
    }
    int doublings = Math.min(retry - 1, 62);
    long millis = initial.toMillis();
    // Cap before multiplying so the doubling never overflows.
    if (doublings >= 62 || millis > (max.toMillis() >> doublings)) {
      return max;
    }
    return Duration.ofMillis(Math.min(max.toMillis(), millis << doublings));
  }

  /** True when a write that has failed {@code failures} times may be tried again. */
  public boolean allowsRetryAfter(int failures) {
    return failures <= maxRetries;
  }
}
