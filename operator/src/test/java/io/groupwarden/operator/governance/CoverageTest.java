package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoverageTest {

  @Test
  void threeOfFourPartitionsOwnedIsThreeQuarters() {
    GroupSample sample =
        GroupSamples.group("g")
            .member("m1", "orders-0", "orders-1")
            .member("m2", "orders-2")
            .partition("orders", 0, 10, 10)
            .partition("orders", 1, 10, 10)
            .partition("orders", 2, 10, 10)
            .partition("orders", 3, 10, 10)
            .build();

    assertThat(Coverage.of(sample, Coverage.owners(sample))).isEqualTo(0.75);
    assertThat(Coverage.owners(sample)).containsEntry(GroupSamples.ref("orders-2"), "m2");
  }

  @Test
  void partitionsOfOtherTopicsDoNotCount() {
    GroupSample sample =
        GroupSamples.group("g")
            .member("m1", "orders-0", "payments-0")
            .partition("orders", 0, 10, 10)
            .partition("orders", 1, 10, 10)
            .build();

    assertThat(Coverage.of(sample, Coverage.owners(sample))).isEqualTo(0.5);
  }

  @Test
  void aGroupWithoutMembersCoversNothing() {
    GroupSample sample = GroupSamples.group("g").partition("orders", 0, 10, 10).build();

    assertThat(Coverage.of(sample, Coverage.owners(sample))).isZero();
  }

  @Test
  void aGroupWithoutPartitionsIsFullyCovered() {
    GroupSample sample = GroupSamples.group("g").member("m1").build();

    assertThat(Coverage.of(sample, Coverage.owners(sample))).isEqualTo(1.0);
  }
}
