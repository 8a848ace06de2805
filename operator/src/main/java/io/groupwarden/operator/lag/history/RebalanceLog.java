package io.groupwarden.operator.lag.history;

/**
 * The times at which a group was seen to rebalance, oldest first, in a ring that starts empty,
 * grows only when rebalances happen, and never holds more than its bound.
 */
final class RebalanceLog {
  private static final long[] NONE = new long[0];
  private static final int FIRST_SIZE = 4;

  private final int bound;
  private long[] times = NONE;
  private int start;
  private int size;

  RebalanceLog(int bound) {
    this.bound = bound;
  }

  void add(long timeMillis) {
    if (size == times.length) {
      if (size == bound) {
        start = (start + 1) % times.length;
        size--;
      } else {
        grow();
      }
    }
    times[(start + size) % times.length] = timeMillis;
    size++;
  }

  /** Forgets rebalances at or before the given time. */
  void dropUpTo(long timeMillis) {
    while (size > 0 && times[start] <= timeMillis) {
      start = (start + 1) % times.length;
      size--;
    }
  }

  /** How many rebalances happened after the given time. */
  int countAfter(long timeMillis) {
    int count = 0;
    for (int i = size - 1; i >= 0; i--) {
      if (times[(start + i) % times.length] <= timeMillis) {
        break;
      }
      count++;
    }
    return count;
  }

  /** A copy bounded anew, keeping the newest times when the bound shrinks. */
  RebalanceLog resized(int newBound) {
    RebalanceLog copy = new RebalanceLog(newBound);
    for (int i = 0; i < size; i++) {
      copy.add(times[(start + i) % times.length]);
    }
    return copy;
  }

  /** The times kept, oldest first. */
  long[] times() {
    long[] copy = new long[size];
    for (int i = 0; i < size; i++) {
      copy[i] = times[(start + i) % times.length];
    }
    return copy;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] larger = new long[Math.min(bound, Math.max(FIRST_SIZE, times.length * 2))];
    for (int i = 0; i < size; i++) {
      larger[i] = times[(start + i) % times.length];
    }
    times = larger;
    start = 0;
  }
}
