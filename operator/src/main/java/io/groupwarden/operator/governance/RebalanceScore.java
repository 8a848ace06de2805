package io.groupwarden.operator.governance;

/**
 * How stable a group's membership is: {@code max(0, 100 − 100 × rebalances / maxRebalances)} over
 * the rebalance window, rounded down to a whole number, so 0 rebalances score 100 and {@code
 * maxRebalances} or more score 0.
 */
public final class RebalanceScore {
  private RebalanceScore() {}

  /** The score in [0, 100]; with {@code maxRebalances} 0, any rebalance scores 0. */
  public static int of(int rebalances, int maxRebalances) {
    if (rebalances <= 0) {
      return 100;
    }
    if (maxRebalances <= 0 || rebalances >= maxRebalances) {
      return 0;
    }
    return 100 - (int) Math.ceil(100.0 * rebalances / maxRebalances);
  }
}
