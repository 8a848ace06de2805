package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NearestRankTest {

  @Test
  void p95OfTwentyValuesIsTheNineteenthSmallest() {
    long[] lags = {5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100};

    assertThat(NearestRank.rank(20, 95)).isEqualTo(19);
    assertThat(NearestRank.of(lags, 95)).isEqualTo(95);
  }

  @Test
  void p50OfTenValuesIsTheFifthAndP95TheTenth() {
    long[] lags = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    assertThat(NearestRank.of(lags, 50)).isEqualTo(5);
    assertThat(NearestRank.of(lags, 95)).isEqualTo(10);
  }

  @Test
  void p50OfFourValuesIsTheSecondNotAnInterpolation() {
    double[] seconds = {1.0, 2.0, 10.0, 20.0};

    assertThat(NearestRank.of(seconds, 50)).isEqualTo(2.0);
  }

  @Test
  void everyPercentileOfOneValueIsThatValue() {
    assertThat(NearestRank.of(new long[] {42}, 1)).isEqualTo(42);
    assertThat(NearestRank.of(new long[] {42}, 95)).isEqualTo(42);
  }

  @Test
  void thereIsNoPercentileOfNothing() {
    assertThatThrownBy(() -> NearestRank.rank(0, 95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no values");
  }

  @Test
  void p95WithinBoundWhenAtMostOneOfTwentyExceedsIt() {
    assertThat(NearestRank.withinBound(20, 1, 95)).isTrue();
    assertThat(NearestRank.withinBound(20, 2, 95)).isFalse();
  }

  @Property
  void countingValuesAboveTheBoundAgreesWithSorting(
      @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 1000) Long> values,
      @ForAll @LongRange(min = 0, max = 1000) long bound,
      @ForAll @IntRange(min = 1, max = 100) int percent) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int exceeding = (int) Arrays.stream(sorted).filter(v -> v > bound).count();

    assertThat(NearestRank.withinBound(sorted.length, exceeding, percent))
        .isEqualTo(NearestRank.of(sorted, percent) <= bound);
  }

  @Property
  void thePercentileIsOneOfTheValues(
      @ForAll @Size(min = 1, max = 100) List<Long> values,
      @ForAll @IntRange(min = 1, max = 100) int percent) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();

    assertThat(values).contains(NearestRank.of(sorted, percent));
  }
}
