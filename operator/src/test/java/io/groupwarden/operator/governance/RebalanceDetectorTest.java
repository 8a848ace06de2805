package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RebalanceDetectorTest {
  private final RebalanceDetector detector = new RebalanceDetector();

  private List<Boolean> observe(GroupSamples... samples) {
    return java.util.Arrays.stream(samples).map(s -> detector.observe(s.build())).toList();
  }

  @Test
  void theSameMembersAndAssignmentAreNoRebalance() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1", "orders-0").member("m2", "orders-1"),
                GroupSamples.group("g").member("m1", "orders-0").member("m2", "orders-1")))
        .containsExactly(false, false);
  }

  @Test
  void membersListedInAnotherOrderAreNoRebalance() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1", "orders-0").member("m2", "orders-1"),
                GroupSamples.group("g").member("m2", "orders-1").member("m1", "orders-0")))
        .containsExactly(false, false);
  }

  @Test
  void aStaticMemberRestartingUnderANewMemberIdIsNoRebalance() {
    assertThat(
            observe(
                GroupSamples.group("g").staticMember("m1-aaa", "worker-0", "orders-0"),
                GroupSamples.group("g").staticMember("m1-bbb", "worker-0", "orders-0")))
        .containsExactly(false, false);
  }

  @Test
  void aDynamicMemberRestartingUnderANewMemberIdIsARebalance() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1-aaa", "orders-0"),
                GroupSamples.group("g").member("m1-bbb", "orders-0")))
        .containsExactly(false, true);
  }

  @Test
  void aPartitionMovingToAnotherMemberIsARebalance() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1", "orders-0", "orders-1").member("m2"),
                GroupSamples.group("g").member("m1", "orders-0").member("m2", "orders-1")))
        .containsExactly(false, true);
  }

  @Test
  void aNewGroupEpochIsARebalanceEvenWithTheSameAssignment() {
    assertThat(
            observe(
                GroupSamples.group("g").epoch(7).member("m1", "orders-0"),
                GroupSamples.group("g").epoch(8).member("m1", "orders-0")))
        .containsExactly(false, true);
  }

  @Test
  void aRebalanceSeenInProgressCountsOnceNotAgainWhenItSettles() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1", "orders-0", "orders-1"),
                GroupSamples.group("g").state("PreparingRebalance").member("m1").member("m2"),
                GroupSamples.group("g").state("CompletingRebalance").member("m1").member("m2"),
                GroupSamples.group("g").member("m1", "orders-0").member("m2", "orders-1")))
        .containsExactly(false, true, false, false);
  }

  @Test
  void twoRebalancesWithASettledSampleBetweenCountTwice() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1", "orders-0"),
                GroupSamples.group("g").state("PreparingRebalance").member("m1"),
                GroupSamples.group("g").member("m1", "orders-0"),
                GroupSamples.group("g").state("Reconciling").member("m1"),
                GroupSamples.group("g").member("m1", "orders-0")))
        .containsExactly(false, true, false, true, false);
  }

  @Test
  void theFirstSampleIsNoRebalance() {
    assertThat(observe(GroupSamples.group("g").member("m1", "orders-0"))).containsExactly(false);
  }

  @Test
  void allMembersLeavingIsARebalance() {
    assertThat(
            observe(
                GroupSamples.group("g").member("m1", "orders-0"),
                GroupSamples.group("g").state("Empty")))
        .containsExactly(false, true);
  }
}
