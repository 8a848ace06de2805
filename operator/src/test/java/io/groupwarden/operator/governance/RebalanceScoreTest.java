package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RebalanceScoreTest {

  @Test
  void noRebalanceScoresOneHundred() {
    assertThat(RebalanceScore.of(0, 10)).isEqualTo(100);
  }

  @Test
  void threeOfTenAllowedScoresSeventy() {
    assertThat(RebalanceScore.of(3, 10)).isEqualTo(70);
  }

  @Test
  void oneOfThreeAllowedScoresSixtySixRoundedDown() {
    assertThat(RebalanceScore.of(1, 3)).isEqualTo(66);
  }

  @Test
  void theAllowedNumberOrMoreScoresZero() {
    assertThat(RebalanceScore.of(10, 10)).isZero();
    assertThat(RebalanceScore.of(14, 10)).isZero();
  }

  @Test
  void withNoRebalanceAllowedAnyScoresZero() {
    assertThat(RebalanceScore.of(1, 0)).isZero();
    assertThat(RebalanceScore.of(0, 0)).isEqualTo(100);
  }

  @Property
  void scoreIsBetweenZeroAndOneHundred(
      @ForAll @IntRange(min = 0, max = 100_000) int rebalances,
      @ForAll @IntRange(min = 0, max = 10_000) int maxRebalances) {
    assertThat(RebalanceScore.of(rebalances, maxRebalances)).isBetween(0, 100);
  }

  @Property
  void moreRebalancesNeverScoreHigher(
      @ForAll @IntRange(min = 0, max = 1000) int rebalances,
      @ForAll @IntRange(min = 1, max = 1000) int maxRebalances) {
    assertThat(RebalanceScore.of(rebalances + 1, maxRebalances))
        .isLessThanOrEqualTo(RebalanceScore.of(rebalances, maxRebalances));
  }
}
