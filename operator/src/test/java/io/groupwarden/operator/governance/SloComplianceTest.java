package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SloComplianceTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration STEP = Duration.ofSeconds(30);

  /** Defaults: p95 within 1s over 10m, 95% of partitions. */
  private static final PolicySettings TIME_BOUND = PolicySettings.defaults();

  private static PolicySettings messageBound(long maxMessages) {
    return PolicySettingsBuilder.defaults().maxLagP95Messages(maxMessages).build();
  }

  /**
   * 21 samples from 0s to 600s; the 10m window ending at 600s holds the last 20. The first one,
   * outside the window, lags an hour and must never count.
   */
  private static TestTimeline lastTwentySeconds(double... seconds) {
    double[] all = new double[21];
    all[0] = 3600;
    System.arraycopy(seconds, 0, all, 1, 20);
    return TestTimeline.startingAt(T0, STEP).samplesWithLagSeconds(all);
  }

  private static double[] twenty(double usual, double... exceptions) {
    double[] values = new double[20];
    Arrays.fill(values, usual);
    System.arraycopy(exceptions, 0, values, 0, exceptions.length);
    return values;
  }

  private static final Instant NOW = T0.plus(Duration.ofSeconds(600));

  @Test
  void oneSampleOfTwentyAboveTheBoundKeepsThePartitionsP95Within() {
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, NOW);

    Boolean within = slo.add(lastTwentySeconds(twenty(0.2, 5.0)));

    assertThat(within).isTrue();
    assertThat(slo.compliance()).isEqualTo(1.0);
  }

  @Test
  void twoSamplesOfTwentyAboveTheBoundPutThePartitionsP95Above() {
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, NOW);

    Boolean within = slo.add(lastTwentySeconds(twenty(0.2, 5.0, 1.5)));

    assertThat(within).isFalse();
    assertThat(slo.compliance()).isZero();
  }

  @Test
  void complianceIsTheShareOfPartitionsWithinAndIsComparedWithTheTarget() {
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, NOW);
    slo.add(lastTwentySeconds(twenty(0.1)));
    slo.add(lastTwentySeconds(twenty(0.5)));
    slo.add(lastTwentySeconds(twenty(1.0)));
    slo.add(lastTwentySeconds(twenty(2.0)));

    assertThat(slo.compliance()).isEqualTo(0.75);
    assertThat(SloCompliance.meetsTarget(0.75, 0.95)).isFalse();
    assertThat(SloCompliance.meetsTarget(0.75, 0.75)).isTrue();
  }

  @Test
  void samplesOfUnknownLagTimeAreLeftOutOfThePartitionsP95() {
    double[] seconds = twenty(Double.NaN);
    seconds[19] = 0.5;
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, NOW);

    assertThat(slo.add(lastTwentySeconds(seconds))).isTrue();
  }

  @Test
  void aPartitionWithNoKnownLagTimeIsLeftOutOfTheShare() {
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, NOW);

    Boolean unknown = slo.add(lastTwentySeconds(twenty(Double.NaN)));
    slo.add(lastTwentySeconds(twenty(0.1)));

    assertThat(unknown).isNull();
    assertThat(slo.compliance()).isEqualTo(1.0);
  }

  @Test
  void withNoPartitionJudgedComplianceIsUnknownAndNotAViolation() {
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, NOW);
    slo.add(lastTwentySeconds(twenty(Double.NaN)));

    assertThat(slo.compliance()).isNull();
    assertThat(SloCompliance.meetsTarget(slo.compliance(), 0.95)).isTrue();
  }

  @Test
  void aBoundInMessagesJudgesTheLagInMessages() {
    long[] lags = new long[21];
    Arrays.fill(lags, 10);
    lags[0] = 1_000_000; // outside the window
    lags[5] = 500;
    TestTimeline oneSpike = TestTimeline.startingAt(T0, STEP).samplesWithLag(lags);
    lags[6] = 101;
    TestTimeline twoSpikes = TestTimeline.startingAt(T0, STEP).samplesWithLag(lags);
    SloCompliance slo = SloCompliance.tally(messageBound(100), NOW);

    assertThat(slo.add(oneSpike)).isTrue();
    assertThat(slo.add(twoSpikes)).isFalse();
    assertThat(slo.compliance()).isEqualTo(0.5);
  }

  @Property
  void complianceIsBetweenZeroAndOne(
      @ForAll @Size(min = 1, max = 20)
          List<@Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 10) Double>> partitions,
      @ForAll boolean someUnknown) {
    SloCompliance slo = SloCompliance.tally(TIME_BOUND, T0.plus(Duration.ofMinutes(15)));
    for (List<Double> seconds : partitions) {
      TestTimeline timeline = TestTimeline.startingAt(T0, STEP);
      for (int i = 0; i < seconds.size(); i++) {
        timeline.sample(0, 0L, someUnknown && i % 3 == 0 ? Double.NaN : seconds.get(i));
      }
      slo.add(timeline);
    }

    Double compliance = slo.compliance();
    if (compliance != null) {
      assertThat(compliance).isBetween(0.0, 1.0);
    }
  }
}
