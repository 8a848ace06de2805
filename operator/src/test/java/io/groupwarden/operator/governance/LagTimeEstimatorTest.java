package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LagTimeEstimatorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static TestTimeline every30s() {
    return TestTimeline.startingAt(T0, Duration.ofSeconds(30));
  }

  /** Samples 30 s apart from T0 with these log ends; the estimator reads nothing else. */
  private static TestTimeline logEndsEvery30s(long... logEnds) {
    TestTimeline log = every30s();
    for (long logEnd : logEnds) {
      log.sample(logEnd, null);
    }
    return log;
  }

  @Test
  void caughtUpIsZeroSeconds() {
    TestTimeline log = logEndsEvery30s(100, 400);

    assertThat(LagTimeEstimator.secondsBehind(log, 400)).isZero();
    assertThat(LagTimeEstimator.secondsBehind(log, 450)).isZero();
  }

  @Test
  void theTimeTheLogEndPassedTheOffsetIsInterpolatedBetweenTheBracketingPoints() {
    // log end 100 at 0s, 400 at 30s, 700 at 60s: offset 250 was the log end at 15s
    TestTimeline log = logEndsEvery30s(100, 400, 700);

    assertThat(LagTimeEstimator.secondsBehind(log, 250)).isCloseTo(45.0, within(1e-9));
  }

  @Test
  void anOffsetEqualToARetainedLogEndIsAsOldAsThatPoint() {
    TestTimeline log = logEndsEvery30s(100, 400, 700);

    assertThat(LagTimeEstimator.secondsBehind(log, 400)).isCloseTo(30.0, within(1e-9));
  }

  @Test
  void aFlatStretchMeansTheLastMomentTheLogEndWasStillAtTheOffset() {
    // nothing produced from 0s to 60s, then 300 messages by 90s: offset 100 was current until 60s
    TestTimeline log = logEndsEvery30s(100, 100, 100, 400);

    assertThat(LagTimeEstimator.secondsBehind(log, 100)).isCloseTo(30.0, within(1e-9));
  }

  @Test
  void anOffsetOlderThanTheHistoryIsExtrapolatedAlongTheRetainedRate() {
    // 600 messages in 60s is 10/s; offset 700 is 300 messages before the oldest point at 0s,
    // so it was the log end at -30s, 90s before the newest point
    TestTimeline log = logEndsEvery30s(1000, 1300, 1600);

    assertThat(LagTimeEstimator.secondsBehind(log, 700)).isCloseTo(90.0, within(1e-9));
  }

  @Test
  void behindWithASinglePointIsUnknownNotZero() {
    TestTimeline log = logEndsEvery30s(1000);

    assertThat(LagTimeEstimator.secondsBehind(log, 700)).isNaN();
  }

  @Test
  void caughtUpWithASinglePointIsZero() {
    TestTimeline log = logEndsEvery30s(1000);

    assertThat(LagTimeEstimator.secondsBehind(log, 1000)).isZero();
  }

  @Test
  void anEmptyHistoryIsUnknown() {
    assertThat(LagTimeEstimator.secondsBehind(every30s(), 0)).isNaN();
  }

  @Test
  void behindAFlatHistoryIsAtLeastTheAgeOfTheOldestPoint() {
    // nothing produced for 60s and the offset is behind all of it: no rate to extrapolate with
    TestTimeline log = logEndsEvery30s(500, 500, 500);

    assertThat(LagTimeEstimator.secondsBehind(log, 400)).isCloseTo(60.0, within(1e-9));
  }

  @Test
  void behindAFlatHistoryWithTheRecordTimeIsTheAgeOfTheRecord() {
    // the producer went quiet long ago: the oldest unconsumed record was written an hour before
    // the newest point, which the flat history alone could only bound by its own 60s
    TestTimeline log = logEndsEvery30s(500, 500, 500);
    long written = T0.plusSeconds(60 - 3600).toEpochMilli();

    assertThat(LagTimeEstimator.secondsBehind(log, 400, written)).isCloseTo(3600.0, within(1e-9));
  }

  @Test
  void theRecordTimeGivesTheLagOfAFirstSample() {
    TestTimeline log = logEndsEvery30s(1000);
    long written = T0.minusSeconds(125).toEpochMilli();

    assertThat(LagTimeEstimator.secondsBehind(log, 700, written)).isCloseTo(125.0, within(1e-9));
  }

  @Test
  void bracketingPointsWinOverTheRecordTime() {
    // log end 100 at 0s, 400 at 30s, 700 at 60s: offset 250 was the log end at 15s
    TestTimeline log = logEndsEvery30s(100, 400, 700);

    assertThat(LagTimeEstimator.canInterpolate(log, 250, 0)).isTrue();
    assertThat(LagTimeEstimator.secondsBehind(log, 250, T0.toEpochMilli()))
        .isCloseTo(45.0, within(1e-9));
  }

  @Test
  void thePointAboutToBePushedOutDoesNotCountForBracketing() {
    TestTimeline log = logEndsEvery30s(100, 400, 700);

    assertThat(LagTimeEstimator.canInterpolate(log, 250, 1)).isFalse();
    assertThat(LagTimeEstimator.canInterpolate(log, 400, 1)).isTrue();
  }

  @Property
  void lagTimeIsNeverNegativeAndUnknownOnlyWithOnePointBehind(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 1000) Integer> produced,
      @ForAll @LongRange(min = 0, max = 50_000) long offset) {
    TestTimeline log = every30s();
    long end = 0;
    for (int messages : produced) {
      end += messages;
      log.sample(end, null);
    }

    double seconds = LagTimeEstimator.secondsBehind(log, offset);

    if (log.size() == 1 && offset < end) {
      assertThat(seconds).isNaN();
    } else {
      assertThat(seconds).isNotNaN().isGreaterThanOrEqualTo(0.0);
    }
  }

  @Property
  void aFurtherBehindOffsetIsNeverYounger(
      @ForAll @Size(min = 2, max = 40) List<@IntRange(min = 0, max = 1000) Integer> produced,
      @ForAll @LongRange(min = 0, max = 50_000) long offset,
      @ForAll @LongRange(min = 0, max = 5_000) long further) {
    TestTimeline log = every30s();
    long end = 0;
    for (int messages : produced) {
      end += messages;
      log.sample(end, null);
    }

    assertThat(LagTimeEstimator.secondsBehind(log, Math.max(0, offset - further)))
        .isGreaterThanOrEqualTo(LagTimeEstimator.secondsBehind(log, offset) - 1e-9);
  }
}
