package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class StuckPartitionDetectorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final PartitionRef ORDERS_3 = new PartitionRef("orders", 3);

  /** Samples 0 to {@code last}, 30 s apart: the log end and committed offset of sample i. */
  private static TestTimeline samples(
      int last, IntToLongFunction logEnd, IntFunction<Long> committed) {
    TestTimeline timeline = TestTimeline.startingAt(T0, STEP);
    for (int i = 0; i <= last; i++) {
      timeline.sample(logEnd.applyAsLong(i), committed.apply(i));
    }
    return timeline;
  }

  /** Committed offset 1200 from 0s to 300s while the log end grows from 1210 by 34 a sample. */
  private static TestTimeline stalledForFiveMinutes() {
    return samples(10, i -> 1210 + 34L * i, i -> 1200L);
  }

  private static Detection detect(TestTimeline timeline, boolean owned) {
    return StuckPartitionDetector.detect(
        ORDERS_3, timeline, owned, FIVE_MINUTES, timeline.newestTime());
  }

  @Test
  void anOwnedPartitionWhoseOffsetStaysWhileMessagesArriveIsStalled() {
    Detection finding = detect(stalledForFiveMinutes(), true);

    assertThat(finding).isNotNull();
    assertThat(finding.partition().reason()).isEqualTo(StuckReason.STALL);
    assertThat(finding.partition().since()).isEqualTo(T0);
    assertThat(finding.partition().committedOffset()).isEqualTo(1200);
    assertThat(finding.partition().lag()).isEqualTo(350);
    assertThat(finding.arrived()).isEqualTo(340);
  }

  @Test
  void thatPartitionWithoutAnOwnerIsStopped() {
    Detection finding = detect(stalledForFiveMinutes(), false);

    assertThat(finding.partition().reason()).isEqualTo(StuckReason.STOP);
  }

  @Test
  void aHistoryShorterThanTheWindowIsNotJudgedStuck() {
    TestTimeline fourAndAHalfMinutes = samples(9, i -> 1210 + 34L * i, i -> 1200L);

    assertThat(detect(fourAndAHalfMinutes, true)).isNull();
  }

  @Test
  void anOffsetThatAdvancesIsNotStuckEvenWithLag() {
    TestTimeline timeline = samples(10, i -> 2000 + 100L * i, i -> 1000 + 50L * i);

    assertThat(detect(timeline, true)).isNull();
  }

  @Test
  void anIdleLogWithAnUnmovedOffsetIsNotStuck() {
    TestTimeline timeline = samples(10, i -> 1540, i -> 1200L);

    assertThat(detect(timeline, true)).isNull();
  }

  @Test
  void theWindowCountsFromTheFirstSampleWithLag() {
    // caught up at 0s, messages from 30s on: no lag for the first sample
    TestTimeline timeline = TestTimeline.startingAt(T0, STEP).sample(1200, 1200L);
    for (int i = 1; i <= 10; i++) {
      timeline.sample(1200 + 34L * i, 1200L);
    }

    assertThat(detect(timeline, true)).isNull();

    timeline.sample(1200 + 34L * 11, 1200L);
    Detection finding = detect(timeline, true);
    assertThat(finding.partition().since()).isEqualTo(T0.plusSeconds(30));
    assertThat(finding.arrived()).isEqualTo(340);
  }

  @Test
  void anOffsetMovedBackwardsWithinTheWindowIsARewind() {
    TestTimeline timeline =
        TestTimeline.startingAt(T0, STEP)
            .sample(1600, 1500L)
            .sample(1700, 1500L)
            .sample(1800, 1200L)
            .sample(1900, 1300L);

    Detection finding = detect(timeline, true);

    assertThat(finding.partition().reason()).isEqualTo(StuckReason.REWIND);
    assertThat(finding.partition().since()).isEqualTo(T0.plusSeconds(60));
    assertThat(finding.partition().committedOffset()).isEqualTo(1300);
    assertThat(finding.rewoundFrom()).isEqualTo(1500);
  }

  @Test
  void aRewindOlderThanTheWindowIsForgiven() {
    TestTimeline timeline = TestTimeline.startingAt(T0, STEP).sample(1600, 1500L);
    for (int i = 1; i <= 11; i++) {
      timeline.sample(1600 + 100L * i, 1000 + 100L * i);
    }

    assertThat(detect(timeline, true)).isNull();
  }

  @Test
  void aPartitionWithoutACommittedOffsetIsNotJudged() {
    TestTimeline timeline = samples(10, i -> 1210 + 34L * i, i -> null);

    assertThat(detect(timeline, false)).isNull();
  }
}
