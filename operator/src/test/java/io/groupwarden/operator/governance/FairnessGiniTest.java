package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FairnessGiniTest {

  @Test
  void anEvenSpreadIsZero() {
    assertThat(FairnessGini.of(new int[] {2, 2, 2})).isZero();
  }

  @Test
  void everythingOnOneMemberIsOneWhateverTheGroupSize() {
    assertThat(FairnessGini.of(new int[] {4, 0})).isEqualTo(1.0);
    assertThat(FairnessGini.of(new int[] {0, 6, 0})).isEqualTo(1.0);
  }

  @Test
  void threeAndOneIsOneHalf() {
    // sum of |xi - xj| over ordered pairs = 4; 4 / (2 * (n - 1) * total) = 4 / 8
    assertThat(FairnessGini.of(new int[] {3, 1})).isEqualTo(0.5);
  }

  @Test
  void zeroOneTwoThreeIsFiveNinths() {
    // pairwise differences 1+2+3+1+2+1 = 10, twice that over 2 * 3 * 6
    assertThat(FairnessGini.of(new int[] {0, 1, 2, 3})).isCloseTo(20.0 / 36.0, within(1e-12));
  }

  @Test
  void membersWithoutPartitionsCount() {
    GroupSample sample =
        GroupSamples.group("g")
            .member("a", "orders-0", "orders-1", "orders-2", "orders-3")
            .member("b")
            .build();

    assertThat(FairnessGini.of(sample.members())).isEqualTo(1.0);
  }

  @Test
  void zeroOrOneMemberOrNothingAssignedIsZero() {
    assertThat(FairnessGini.of(new int[] {})).isZero();
    assertThat(FairnessGini.of(new int[] {7})).isZero();
    assertThat(FairnessGini.of(new int[] {0, 0, 0})).isZero();
  }

  @Property
  void giniIsBetweenZeroAndOne(
      @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 1000) Integer> counts) {
    double gini = FairnessGini.of(counts.stream().mapToInt(Integer::intValue).toArray());

    assertThat(gini).isBetween(0.0, 1.0);
  }

  @Property
  void giniDoesNotDependOnTheOrderOfMembers(
      @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 1000) Integer> counts,
      @ForAll long seed) {
    List<Integer> shuffled = new ArrayList<>(counts);
    Collections.shuffle(shuffled, new Random(seed));

    assertThat(FairnessGini.of(shuffled.stream().mapToInt(Integer::intValue).toArray()))
        .isEqualTo(FairnessGini.of(counts.stream().mapToInt(Integer::intValue).toArray()));
  }

  @Property
  void equalSharesAreZero(
      @ForAll @IntRange(min = 0, max = 100) int members,
      @ForAll @IntRange(min = 0, max = 1000) int each) {
    int[] counts = new int[members];
    java.util.Arrays.fill(counts, each);

    assertThat(FairnessGini.of(counts)).isZero();
  }
}
