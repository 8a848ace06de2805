package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.groupwarden.operator.governance.CatchUp.State;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.RetentionRisk.Basis;
import org.junit.jupiter.api.Test;

class RetentionRiskTest {
  private static final long HOUR_MS = 3_600_000;

  private static final TopicRetention AN_HOUR = new TopicRetention(HOUR_MS, null);

  /** The partition's whole lag: log end 101,000, committed 50,000. */
  private static final long LAG = 51_000;

  private static PartitionSample partition(TopicRetention retention, long sizeBytes) {
    return new PartitionSample("orders", 0, 1_000, 101_000, 50_000L)
        .withRetention(retention, sizeBytes);
  }

  /**
   * The risk to the partition, {@link #LAG} behind, its oldest unread record {@code ageSeconds}
   * old.
   */
  private static RetentionRisk risk(
      TopicRetention retention, long sizeBytes, double ageSeconds, CatchUp rates) {
    return RetentionRisk.of(partition(retention, sizeBytes), LAG, ageSeconds, rates);
  }

  private static CatchUp notCatchingUp(double produced, double consumed) {
    return new CatchUp(State.NOT_CATCHING_UP, null, produced, consumed);
  }

  private static CatchUp catchingUp(double seconds, double produced, double consumed) {
    return new CatchUp(State.CATCHING_UP, seconds, produced, consumed);
  }

  @Test
  void aStoppedConsumerLosesItsOldestRecordWhenItReachesTheRetentionAge() {
    // retention 1h, the oldest unconsumed record is 40m old, nothing is consumed
    RetentionRisk risk = risk(AN_HOUR, -1, 2_400, notCatchingUp(10, 0));

    assertThat(risk.basis()).isEqualTo(Basis.AGE);
    assertThat(risk.secondsUntilLoss()).isCloseTo(1_200, within(1e-9));
  }

  @Test
  void aSlowConsumerSlowsTheAgeingOfItsOldestRecord() {
    // 47/s arrive, 24/s consumed: the oldest record ages 1 - 24/47 = 23/47 s per second
    RetentionRisk risk = risk(AN_HOUR, -1, 2_400, notCatchingUp(47, 24));

    // (3600 - 2400) / (23 / 47)
    assertThat(risk.secondsUntilLoss()).isCloseTo(2452.1739, within(1e-4));
  }

  @Test
  void aConsumerFasterThanTheProducerIsNotOvertaken() {
    RetentionRisk risk = risk(AN_HOUR, -1, 2_400, catchingUp(5_100.0, 10, 20));

    assertThat(risk).isNull();
  }

  @Test
  void aRecordOlderThanTheRetentionMayGoAtAnyMoment() {
    RetentionRisk risk = risk(AN_HOUR, -1, 3_700, catchingUp(100.0, 10, 20));

    assertThat(risk.secondsUntilLoss()).isZero();
  }

  @Test
  void withNothingArrivingTheBacklogAgesUnlessTheGroupCatchesUpFirst() {
    PartitionSample sample = partition(AN_HOUR, -1);

    // 600s left; catching up takes 1000s: at risk in 600s
    assertThat(
            RetentionRisk.of(sample, 10_000, 3_000, catchingUp(1_000.0, 0, 10)).secondsUntilLoss())
        .isCloseTo(600, within(1e-9));
    // catching up takes 500s: the group reads the record first
    assertThat(RetentionRisk.of(sample, 5_000, 3_000, catchingUp(500.0, 0, 10))).isNull();
  }

  @Test
  void aSizeLimitKeepsAsManyRecordsAsFitAndTheLagGrowsTowardsThem() {
    // 100,000 records in 50 MB: 500 bytes each; 100 MB keeps 200,000; lag 51,000 grows at 20/s
    RetentionRisk risk =
        risk(
            new TopicRetention(null, 100_000_000L), 50_000_000L, Double.NaN, notCatchingUp(30, 10));

    assertThat(risk.basis()).isEqualTo(Basis.SIZE);
    // (200,000 - 51,000) / (30 - 10)
    assertThat(risk.secondsUntilLoss()).isCloseTo(7_450, within(1e-9));
  }

  @Test
  void theEarlierLimitWins() {
    RetentionRisk risk =
        risk(new TopicRetention(HOUR_MS, 100_000_000L), 50_000_000L, 2_400, notCatchingUp(30, 10));

    // by age: 1200 / (1 - 10/30) = 1800s; by size: 7450s
    assertThat(risk.basis()).isEqualTo(Basis.AGE);
    assertThat(risk.secondsUntilLoss()).isCloseTo(1_800, within(1e-9));
  }

  @Test
  void nothingBehindOrUnknownLimitsAreNoRisk() {
    CatchUp stopped = notCatchingUp(10, 0);

    assertThat(risk(TopicRetention.UNLIMITED, -1, 2_400, stopped)).isNull();
    assertThat(risk(null, -1, 2_400, stopped)).isNull();
    assertThat(RetentionRisk.of(partition(AN_HOUR, -1), 0, Double.NaN, stopped)).isNull();
  }

  @Test
  void aCompactedTopicDeletesNothingForAgeOrSize() {
    assertThat(TopicRetention.of("compact", HOUR_MS, 1_000)).isEqualTo(TopicRetention.UNLIMITED);
    assertThat(TopicRetention.of("compact,delete", HOUR_MS, -1))
        .isEqualTo(new TopicRetention(HOUR_MS, null));
  }
}
