package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.groupwarden.operator.governance.CatchUp.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatchUpTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(10);

  private static TestTimeline every30s() {
    return TestTimeline.startingAt(T0, Duration.ofSeconds(30));
  }

  /**
   * A partition sampled every 30s, {@code steps} steps after its first sample: the log end offset
   * grows by {@code endStep} and the committed offset by {@code committedStep} each step.
   */
  private static TestTimeline steady(
      int steps, long end, long endStep, long committed, long committedStep) {
    TestTimeline partition = every30s();
    for (int i = 0; i <= steps; i++) {
      partition.sample(end + endStep * i, committed + committedStep * i);
    }
    return partition;
  }

  private static CatchUp estimate(TestTimeline partition) {
    return CatchUp.of(partition, WINDOW, partition.newestTime());
  }

  @Test
  void aConsumerFasterThanTheProducerCatchesUpInLagOverTheRateDifference() {
    // 300 arrive and 600 are committed per 30s step: 10/s in, 20/s out; lag 6000 -> 3000
    CatchUp catchUp = estimate(steady(10, 10_000, 300, 4_000, 600));

    assertThat(catchUp.state()).isEqualTo(State.CATCHING_UP);
    assertThat(catchUp.producedPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(catchUp.consumedPerSecond()).isCloseTo(20.0, within(1e-9));
    // 3000 / (20 - 10)
    assertThat(catchUp.seconds()).isCloseTo(300.0, within(1e-9));
    assertThat(catchUp.text()).isEqualTo("5m");
  }

  @Test
  void aConsumerNoFasterThanTheProducerIsNotCatchingUp() {
    // the demo's slow group: 47/s arrive, 24/s are committed
    CatchUp catchUp = estimate(steady(10, 10_000, 1410, 9_000, 720));

    assertThat(catchUp.state()).isEqualTo(State.NOT_CATCHING_UP);
    assertThat(catchUp.seconds()).isNull();
    assertThat(catchUp.producedPerSecond()).isCloseTo(47.0, within(1e-9));
    assertThat(catchUp.consumedPerSecond()).isCloseTo(24.0, within(1e-9));
    assertThat(catchUp.text()).isEqualTo("not catching up");
    assertThat(catchUp.gaugeSeconds()).isInfinite();
  }

  @Test
  void anIdleProducerLeavesTheBacklogOverTheConsumptionRate() {
    // nothing arrives; 300 committed per step (10/s): 3000 -> 1500 in five steps
    CatchUp catchUp = estimate(steady(5, 5_000, 0, 2_000, 300));

    assertThat(catchUp.producedPerSecond()).isZero();
    assertThat(catchUp.seconds()).isCloseTo(150.0, within(1e-9));
  }

  @Test
  void aBurstCountsInTheProductionAverageAndOnlyStepsBehindMeasureTheConsumer() {
    // caught up at 1000 for 11 samples; 6000 arrive at once; the consumer then clears 1500 a step
    TestTimeline partition =
        steady(10, 1_000, 0, 1_000, 0)
            .sample(7_000, 1_000L)
            .sample(7_000, 2_500L)
            .sample(7_000, 4_000L);

    CatchUp catchUp = estimate(partition);

    // produced: 6000 over the 390s the window holds; consumed: 3000 over the 60s spent behind
    assertThat(catchUp.producedPerSecond()).isCloseTo(6000.0 / 390, within(1e-9));
    assertThat(catchUp.consumedPerSecond()).isCloseTo(50.0, within(1e-9));
    // 3000 / (50 - 15.3846)
    assertThat(catchUp.seconds()).isCloseTo(86.6667, within(1e-4));
  }

  @Test
  void aPartitionThatJustFellBehindHasAnUnknownPace() {
    TestTimeline partition = every30s().sample(100, 100L).sample(200, 200L).sample(900, 300L);

    CatchUp catchUp = estimate(partition);

    assertThat(catchUp.state()).isEqualTo(State.UNKNOWN);
    assertThat(catchUp.text()).isNull();
    assertThat(catchUp.gaugeSeconds()).isNull();
  }

  @Test
  void aCaughtUpPartitionIsZero() {
    TestTimeline partition = every30s().sample(100, 100L).sample(200, 200L);

    CatchUp catchUp = estimate(partition);

    assertThat(catchUp.state()).isEqualTo(State.CAUGHT_UP);
    assertThat(catchUp.seconds()).isZero();
    assertThat(catchUp.text()).isEqualTo("caught up");
  }

  @Test
  void aSteadyConsumerNoFurtherBehindThanOneSampleOfArrivalsIsCaughtUp() {
    // 300 arrive per step and the group is always 120 behind: it keeps pace
    assertThat(estimate(steady(10, 1_000, 300, 880, 300)).state()).isEqualTo(State.CAUGHT_UP);
  }

  @Test
  void recordsDeletedByRetentionAreNotConsumption() {
    // the group stands at 100 while retention moves the log start 0 -> 500 -> 900, then it resets
    // to the log start: none of that is consumption
    TestTimeline partition =
        every30s()
            .sample(0, 1_000, 100L, Double.NaN)
            .sample(500, 1_100, 100L, Double.NaN)
            .sample(900, 1_200, 100L, Double.NaN)
            .sample(900, 1_300, 900L, Double.NaN);

    CatchUp catchUp = estimate(partition);

    assertThat(catchUp.consumedPerSecond()).isZero();
    assertThat(catchUp.state()).isEqualTo(State.NOT_CATCHING_UP);
  }

  @Test
  void samplesOutsideTheWindowDoNotCount() {
    // an hour ago the consumer was fast; over the last 10 minutes it has been slower than arrivals
    TestTimeline partition = TestTimeline.startingAt(T0, Duration.ofMinutes(5));
    partition.sample(0, 0L).sample(3_000, 0L).sample(6_000, 6_000L);
    partition.sample(9_000, 6_000L).sample(12_000, 6_000L).sample(15_000, 7_000L);

    CatchUp catchUp = estimate(partition);

    // window (15m, 25m]: the samples at 20m and 25m; 3000 arrived in 5m and 1000 were consumed
    assertThat(catchUp.producedPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(catchUp.consumedPerSecond()).isCloseTo(1000.0 / 300, within(1e-9));
    assertThat(catchUp.state()).isEqualTo(State.NOT_CATCHING_UP);
  }

  @Test
  void aGroupCatchesUpWhenItsSlowestPartitionDoes() {
    CatchUp fast = new CatchUp(State.CATCHING_UP, 60.0, 5, 10);
    CatchUp slow = new CatchUp(State.CATCHING_UP, 240.0, 5, 8);
    CatchUp done = new CatchUp(State.CAUGHT_UP, 0.0, 5, Double.NaN);

    CatchUp group = CatchUp.ofGroup(List.of(fast, slow, done));

    assertThat(group.state()).isEqualTo(State.CATCHING_UP);
    assertThat(group.seconds()).isEqualTo(240.0);
    assertThat(group.producedPerSecond()).isEqualTo(15.0);
    assertThat(group.consumedPerSecond()).isEqualTo(18.0);
  }

  @Test
  void aGroupWithOnePartitionNotCatchingUpIsNotCatchingUp() {
    CatchUp group =
        CatchUp.ofGroup(
            List.of(
                new CatchUp(State.CATCHING_UP, 60.0, 5, 10),
                new CatchUp(State.NOT_CATCHING_UP, null, 5, 2)));

    assertThat(group.state()).isEqualTo(State.NOT_CATCHING_UP);
  }

  @Test
  void aGroupWithoutPartitionsOrLagIsCaughtUp() {
    assertThat(CatchUp.ofGroup(List.of()).state()).isEqualTo(State.CAUGHT_UP);
    assertThat(CatchUp.ofGroup(List.of(new CatchUp(State.UNKNOWN, null, 1, Double.NaN))).state())
        .isEqualTo(State.UNKNOWN);
  }
}
