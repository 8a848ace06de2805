package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MessageLagTest {

  @Test
  void lagIsTheDistanceFromTheCommittedOffsetToTheLogEnd() {
    PartitionSample partition = new PartitionSample("orders", 3, -1, 1540, 1200L);

    assertThat(MessageLag.of(partition)).isEqualTo(340);
    assertThat(MessageLag.from(partition)).isEqualTo(LagFrom.COMMITTED);
  }

  @Test
  void aCommittedOffsetPastTheLogEndIsNoLag() {
    PartitionSample partition = new PartitionSample("orders", 3, -1, 1540, 1600L);

    assertThat(MessageLag.of(partition)).isZero();
  }

  @Test
  void withoutACommittedOffsetLagCountsFromTheLogStart() {
    PartitionSample partition = new PartitionSample("orders", 3, 1000, 1540, null);

    assertThat(MessageLag.of(partition)).isEqualTo(540);
    assertThat(MessageLag.from(partition)).isEqualTo(LagFrom.LOG_START);
  }

  @Test
  void anUnreadLogStartCountsFromOffsetZero() {
    PartitionSample partition = new PartitionSample("orders", 3, -1, 1540, null);

    assertThat(MessageLag.of(partition)).isEqualTo(1540);
  }

  @Test
  void recordsDeletedBeforeTheGroupReadThemAreLostNotLag() {
    // committed 874, retention moved the log start to 2074: 1200 records are gone unread
    PartitionSample partition = new PartitionSample("orders", 2, 2074, 2500, 874L);

    assertThat(MessageLag.of(partition)).isEqualTo(426);
    assertThat(MessageLag.lostToRetention(partition)).isEqualTo(1200);
    assertThat(MessageLag.from(partition)).isEqualTo(LagFrom.LOG_START_AFTER_LOSS);
    assertThat(MessageLag.origin(partition)).isEqualTo(2074);
    assertThat(MessageLag.position(partition)).isEqualTo(874);
  }

  @Test
  void aCommittedOffsetAtTheLogStartHasLostNothing() {
    PartitionSample partition = new PartitionSample("orders", 2, 2074, 2500, 2074L);

    assertThat(MessageLag.of(partition)).isEqualTo(426);
    assertThat(MessageLag.lostToRetention(partition)).isZero();
    assertThat(MessageLag.from(partition)).isEqualTo(LagFrom.COMMITTED);
  }

  @Test
  void withoutACommittedOffsetNothingCountsAsLost() {
    PartitionSample partition = new PartitionSample("orders", 3, 1000, 1540, null);

    assertThat(MessageLag.lostToRetention(partition)).isZero();
    assertThat(MessageLag.position(partition)).isEqualTo(1000);
  }

  @Property
  void lagAndLostRecordsTogetherAreTheDistanceFromTheCommittedOffset(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long logStart,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long extra,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long committed) {
    long logEnd = logStart + extra;
    PartitionSample partition = new PartitionSample("t", 0, logStart, logEnd, committed);

    assertThat(MessageLag.of(partition) + MessageLag.lostToRetention(partition))
        .isEqualTo(Math.max(0, logEnd - committed));
  }

  @Property
  void lagIsNeverNegative(
      @ForAll @LongRange(min = -1, max = Long.MAX_VALUE / 2) long logStart,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long logEnd,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long committed,
      @ForAll boolean hasCommitted) {
    PartitionSample partition =
        new PartitionSample("t", 0, logStart, logEnd, hasCommitted ? committed : null);

    assertThat(MessageLag.of(partition)).isNotNegative();
  }
}
