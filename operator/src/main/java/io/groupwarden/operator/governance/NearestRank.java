package io.groupwarden.operator.governance;

/**
 * Percentiles by the nearest-rank method: the p-th percentile of n values is the value at rank
 * {@code ceil(p / 100 × n)} (1-based) of the values sorted ascending, so it is always one of the
 * values and never an interpolation between two. For 20 values, p95 is the 19th smallest; for 10
 * values, p50 is the 5th and p95 the 10th. The empty set has no percentile.
 */
public final class NearestRank {
  private NearestRank() {}

  /**
   * The 1-based rank of the p-th percentile among {@code n} values, computed in integers so that
   * {@code 95 × 20 / 100} is exactly 19.
   *
   * @param n how many values, at least 1
   * @param percent the percentile, 1..100
   */
  public static int rank(int n, int percent) {
    if (n < 1) {
      throw new IllegalArgumentException("no values to take a percentile of");
    }
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percentile must be 1..100, was " + percent);
    }
    return (int) (((long) percent * n + 99) / 100);
  }

  /** The p-th percentile of values already sorted ascending. */
  public static long of(long[] sortedAscending, int percent) {
    return sortedAscending[rank(sortedAscending.length, percent) - 1];
  }

  /** The p-th percentile of values already sorted ascending. */
  public static double of(double[] sortedAscending, int percent) {
    return sortedAscending[rank(sortedAscending.length, percent) - 1];
  }

  /**
   * Whether the p-th percentile of {@code n} values is at most a bound, given only how many of them
   * exceed it: the percentile is the value of rank r, and it is within the bound exactly when at
   * least r values are, that is when no more than {@code n − r} exceed it. This needs no sort.
   */
  public static boolean withinBound(int n, int exceeding, int percent) {
    return exceeding <= n - rank(n, percent);
  }
}
