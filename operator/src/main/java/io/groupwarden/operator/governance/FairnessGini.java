package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
import java.util.Arrays;
import java.util.List;

/**
 * How unevenly a group's partitions are spread over its members: the Gini coefficient of partitions
 * per member, over every member including those with none.
 *
 * <p>With the n counts sorted ascending as x₁ ≤ … ≤ xₙ and S = Σ xᵢ, the classic coefficient is
 * {@code G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n S) = Σᵢ (2i − n − 1) xᵢ / (n S)}. Its largest value, when one
 * member holds everything, is {@code (n − 1) / n}, so a two-member group could never look worse
 * than 0.5. The coefficient used here is corrected by {@code n / (n − 1)}:
 *
 * <pre>G* = Σᵢ (2i − n − 1) xᵢ / ((n − 1) S)</pre>
 *
 * which is 0 when every member holds the same number of partitions and 1 when one member holds all
 * of them, whatever n is. It is 0 for zero or one member and when nothing is assigned.
 */
public final class FairnessGini {
  private FairnessGini() {}

  /** The corrected Gini coefficient of the members' partition counts. */
  public static double of(List<MemberSample> members) {
    int[] counts = new int[members.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = members.get(i).assignment().size();
    }
    return of(counts);
  }

  /** The corrected Gini coefficient of non-negative counts, in [0, 1]. */
  public static double of(int[] counts) {
    int n = counts.length;
    if (n < 2) {
      return 0;
    }
    int[] sorted = counts.clone();
    Arrays.sort(sorted);
    long total = 0;
    long weighted = 0;
    for (int i = 0; i < n; i++) {
      if (sorted[i] < 0) {
        throw new IllegalArgumentException("a member cannot hold a negative number of partitions");
      }
      total += sorted[i];
      weighted += (long) (2 * (i + 1) - n - 1) * sorted[i];
    }
    if (total == 0) {
      return 0;
    }
    return Math.min(1.0, (double) weighted / ((double) (n - 1) * total));
  }
}
