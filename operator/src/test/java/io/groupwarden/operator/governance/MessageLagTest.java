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
