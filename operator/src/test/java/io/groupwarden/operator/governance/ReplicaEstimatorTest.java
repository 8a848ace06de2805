package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.PolicySettings.Autoscale;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.lag.history.LagHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class ReplicaEstimatorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static Autoscale byLag(int min, int max, long lagPerReplica) {
    return new Autoscale(min, max, lagPerReplica, null, Duration.ofMinutes(5));
  }

  /**
   * The estimate from the rates of a 10m window after samples 0 to {@code last} of group g, 30 s
   * apart, each as {@code sampleAt} builds it.
   */
  private static Estimate fromRates(int last, IntFunction<GroupSamples> sampleAt) {
    LagHistory history = LagHistory.sizedFor(PolicySettings.defaults());
    for (int i = 0; i <= last; i++) {
      history.record(sampleAt.apply(i).at(T0.plusSeconds(30L * i)).build());
    }
    return ReplicaEstimator.fromRates(
        history.group("g").orElseThrow(), Duration.ofMinutes(10), T0.plusSeconds(30L * last));
  }

  @Test
  void lagPerReplicaAsksForTheLagDividedByItRoundedUp() {
    Estimate estimate = ReplicaEstimator.fromAutoscale(byLag(1, 10, 8000), 2, 41_000, null, 12);

    assertThat(estimate.replicas()).isEqualTo(6);
    assertThat(estimate.because())
        .isEqualTo("a total lag of 41000 messages at 8000 per consumer needs 6");
  }

  @Test
  void theEstimateStaysWithinTheMaximumAndThePartitionCount() {
    assertThat(ReplicaEstimator.fromAutoscale(byLag(1, 5, 8000), 2, 48_000, null, 12).replicas())
        .isEqualTo(5);
    Estimate capped = ReplicaEstimator.fromAutoscale(byLag(1, 10, 8000), 2, 48_000, null, 4);
    assertThat(capped.replicas()).isEqualTo(4);
    assertThat(capped.because()).endsWith(", and 1 to 4 are allowed");
  }

  @Test
  void targetLagSecondsScalesTheCurrentCountByTheRatio() {
    Autoscale byTime = new Autoscale(1, 10, null, 4.0, Duration.ofMinutes(5));

    Estimate estimate = ReplicaEstimator.fromAutoscale(byTime, 2, 0, 12.0, 12);

    assertThat(estimate.replicas()).isEqualTo(6);
  }

  @Test
  void withoutAKnownLagTimeTheTargetKeepsTheCurrentCount() {
    Autoscale byTime = new Autoscale(1, 10, null, 4.0, Duration.ofMinutes(5));

    assertThat(ReplicaEstimator.fromAutoscale(byTime, 3, 500, null, 12).replicas()).isEqualTo(3);
  }

  @Test
  void withoutAutoscaleTheRatesOfProductionAndCommitsDecide() {
    // 3 members keep exactly up: per partition 200 messages arrive and 200 are committed every
    // 30 s over 6 partitions, nothing is behind: 40/s arrive, 40/s are consumed, 3 suffice
    Estimate estimate =
        fromRates(
            10,
            i -> GroupSamples.threeMembersOnSixPartitions(10_000 + 200L * i, 10_000 + 200L * i));

    assertThat(estimate.replicas()).isEqualTo(3);
    assertThat(estimate.because())
        .isEqualTo("40.0 messages/s arrive but the 3 consumers commit 40.0 messages/s");
  }

  @Test
  void theBacklogIsClearedWithinOneMoreWindow() {
    // 3 members on 12 partitions; per partition 100 messages arrive and 50 are committed every
    // 30 s: 40/s arrive, 20/s are consumed, and after 10 samples 12 × 500 = 6000 are behind,
    // which clearing within the 10 min window adds 10/s: 3 × (40 + 10) / 20 = 7.5, so 8 consumers
    // (keeping up alone would take 6)
    Estimate estimate =
        fromRates(
            10,
            i -> {
              GroupSamples sample = GroupSamples.group("g");
              for (int m = 0; m < 3; m++) {
                sample.member(
                    "m" + m,
                    "orders-" + (4 * m),
                    "orders-" + (4 * m + 1),
                    "orders-" + (4 * m + 2),
                    "orders-" + (4 * m + 3));
              }
              for (int p = 0; p < 12; p++) {
                sample.partition("orders", p, 10_000 + 100L * i, 10_000 + 50L * i);
              }
              return sample;
            });

    assertThat(estimate.replicas()).isEqualTo(8);
    assertThat(estimate.because())
        .isEqualTo(
            "40.0 messages/s arrive and 6000 are behind (to clear within 10m), but the 3 consumers"
                + " commit 20.0 messages/s");
  }

  @Test
  void theRateEstimateNeverExceedsThePartitionCount() {
    Estimate estimate =
        fromRates(
            10,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0", "orders-1")
                    .partition("orders", 0, 10_000 + 1000L * i, 5_000 + 10L * i)
                    .partition("orders", 1, 10_000 + 1000L * i, 5_000 + 10L * i));

    assertThat(estimate.replicas()).isEqualTo(2);
    assertThat(estimate.because()).endsWith(", and 2 partitions allow no more");
  }

  @Test
  void nothingCommittedGivesNoRateEstimate() {
    Estimate estimate =
        fromRates(
            3,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .partition("orders", 0, 10_000 + 1000L * i, 5_000));

    assertThat(estimate).isNull();
  }
}
