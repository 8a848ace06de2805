package io.groupwarden.operator.lag.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.GroupSamples;
import io.groupwarden.operator.governance.GroupTimeline;
import io.groupwarden.operator.governance.PartitionTimeline;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.PolicySettingsBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagHistoryTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final LagHistory history = LagHistory.sizedFor(PolicySettings.defaults());

  private static Instant at(int sample) {
    return T0.plusSeconds(30L * sample);
  }

  /** Records sample {@code sample} of group "g" with the given partitions of topic orders. */
  private boolean record(int sample, PartitionSample... partitions) {
    GroupSamples g = GroupSamples.group("g").at(at(sample));
    for (PartitionSample partition : partitions) {
      g.partition(partition);
    }
    return history.record(g.build());
  }

  private static PartitionSample orders(int partition, long logEnd, long committed) {
    return new PartitionSample("orders", partition, -1, logEnd, committed);
  }

  private static PartitionSample orders(int partition, long logStart, long logEnd, long committed) {
    return new PartitionSample("orders", partition, logStart, logEnd, committed);
  }

  private GroupTimeline group(String id) {
    return history.group(id).orElseThrow();
  }

  @Test
  void theLagInSecondsOfEachSampleIsComputedWhenItIsRecorded() {
    // log end 100, 400, 700 at 0s, 30s, 60s; committed 250 was the log end at 15s
    record(0, orders(0, 100, 100));
    record(1, orders(0, 400, 250));
    record(2, orders(0, 700, 250));

    PartitionTimeline orders0 = group("g").partition(0);
    assertThat(orders0.lagSeconds(0)).isCloseTo(45.0, within(1e-4));
    assertThat(orders0.lagSeconds(1)).isCloseTo(15.0, within(1e-4));
    assertThat(orders0.lagSeconds(2)).isZero();
  }

  @Test
  void theFirstSampleOfALaggingPartitionHasAnUnknownLagTime() {
    record(0, orders(0, 700, 250));

    assertThat(group("g").partition(0).lagSeconds(0)).isNaN();
  }

  @Test
  void recordsDeletedUnderTheGroupAreCountedOnceAndTheLagCountsFromTheLogStart() {
    // the group stands at 874; retention moves the log start to 1000, then 1500; the group then
    // rewinds to 900 (records already counted) and finally resumes at the log start
    long[][] samples = {
      // logStart, logEnd, committed
      {0, 2000, 874}, {1000, 2100, 874}, {1500, 2200, 874}, {1500, 2300, 900}, {1500, 2400, 1500}
    };
    for (int i = 0; i < samples.length; i++) {
      record(i, orders(0, samples[i][0], samples[i][1], samples[i][2]));
    }

    PartitionTimeline orders0 = group("g").partition(0);
    // 126 lost when the log start reached 1000, 500 more when it reached 1500; none twice
    assertThat(orders0.recordsLost()).isEqualTo(626);
    assertThat(orders0.overrunSinceMillis()).isEqualTo(-1);
    assertThat(orders0.lostUpTo(1)).isEqualTo(1500);
    assertThat(orders0.lag(1)).isEqualTo(800); // 2300 - 1500, not 2300 - 900
    assertThat(orders0.origin(1)).isEqualTo(900); // the committed offset, for the stuck rules
    assertThat(orders0.lostUpTo(0)).isZero();
    assertThat(orders0.lag(0)).isEqualTo(900);
    assertThat(orders0.lostUpTo(4)).isZero();
    assertThat(orders0.lag(4)).isEqualTo(1126);
  }

  @Test
  void anOverrunThatLastsToTheNewestSampleSaysWhenItBegan() {
    record(0, orders(0, 0, 100, 50));
    record(1, orders(0, 60, 110, 50));
    record(2, orders(0, 80, 120, 50));

    assertThat(group("g").partition(0).overrunSinceMillis()).isEqualTo(at(1).toEpochMilli());
    assertThat(group("g").partition(0).recordsLost()).isEqualTo(30);
  }

  @Test
  void aRecordTimeGivesTheLagTimeWhenTheHistoryCannotBracketTheOffset() {
    long recordTime = at(0).minusSeconds(3600).toEpochMilli();
    history.record(
        GroupSamples.group("g")
            .at(at(0))
            .partition(
                new PartitionSample("orders", 0, 0, 700, 250L).withOldestUnconsumedTime(recordTime))
            .build());

    assertThat(group("g").partition(0).lagSeconds(0)).isCloseTo(3600.0, within(1e-3));
  }

  @Test
  void aQuietPartitionKeepsAnHonestLagTimeWhenTheHistoryNoLongerReachesBack() {
    // produced up to 700 an hour before the history began; nothing since; the group is at 250
    LagHistory small = LagHistory.sizedFor(PolicySettings.defaults());
    long produced = at(0).minusSeconds(3600).toEpochMilli();
    for (int i = 0; i < 40; i++) {
      GroupSample sample =
          GroupSamples.group("g").at(at(i)).partition("orders", 0, 700, 250).build();
      List<PartitionSample> wanted = small.recordTimesWanted(sample);
      assertThat(wanted).extracting(PartitionSample::partition).containsExactly(0);
      small.record(
          GroupSamples.group("g")
              .at(at(i))
              .partition(wanted.get(0).withOldestUnconsumedTime(produced))
              .build());
    }

    assertThat(small.group("g").orElseThrow().partition(0).lagSeconds(0))
        .isCloseTo(3600.0 + 39 * 30, within(1e-1));
  }

  @Test
  void noRecordTimeIsWantedWhileTheHistoryBracketsTheOffsetOrTheGroupIsCaughtUp() {
    record(0, orders(0, 100, 100));
    record(1, orders(0, 400, 250));

    GroupSample next =
        GroupSamples.group("g")
            .at(at(2))
            .partition("orders", 0, 700, 250)
            .partition("orders", 1, 50, 50)
            .partition("orders", 2, 60, 10)
            .build();

    // orders-0: the log end was 100 <= 250 at 0s; orders-1: caught up; orders-2: new and behind
    assertThat(history.recordTimesWanted(next))
        .extracting(PartitionSample::partition)
        .containsExactly(2);
  }

  @Test
  void theRingsKeepTheirCapacityHoweverLongItRuns() {
    int capacity = history.capacity().samples();
    for (int i = 0; i < 1000; i++) {
      record(i, orders(0, 1000L * i, 1000L * i - 10));
    }

    PartitionTimeline orders0 = group("g").partition(0);
    assertThat(orders0.size()).isEqualTo(capacity);
    assertThat(orders0.logEnd(0)).isEqualTo(999_000);
    assertThat(orders0.timeMillis(capacity - 1)).isEqualTo(at(1000 - capacity).toEpochMilli());
    assertThat(orders0.logEnd(capacity - 1)).isEqualTo(1000L * (1000 - capacity));
  }

  @Test
  void partitionsMissingFromTheNewestSampleAreDroppedAndNewOnesStartEmpty() {
    record(0, orders(0, 10, 10), orders(1, 20, 20));
    record(1, orders(1, 30, 30), orders(2, 40, 40));

    GroupTimeline g = group("g");
    assertThat(g.latest().partitions()).hasSize(2);
    assertThat(g.partition(0).size()).isEqualTo(2);
    assertThat(g.partition(0).logEnd(1)).isEqualTo(20);
    assertThat(g.partition(1).size()).isEqualTo(1);
    assertThat(history.partitionCount()).isEqualTo(2);
  }

  @Test
  void aPartitionKeepsItsHistoryWhenTheSampleListsItElsewhere() {
    record(0, orders(0, 10, 10), orders(1, 20, 20));
    record(1, orders(1, 21, 21), orders(0, 11, 11));

    PartitionTimeline orders0 = group("g").partition(1);
    assertThat(orders0.size()).isEqualTo(2);
    assertThat(orders0.logEnd(0)).isEqualTo(11);
    assertThat(orders0.logEnd(1)).isEqualTo(10);
  }

  @Test
  void retainOnlyDropsGroupsNoLongerWatched() {
    history.record(GroupSamples.group("a").at(at(0)).partition("orders", 0, 1, 1).build());
    history.record(GroupSamples.group("b").at(at(0)).partition("orders", 0, 1, 1).build());

    history.retainOnly(List.of("b", "c"));

    assertThat(history.groupIds()).containsExactly("b");
    assertThat(history.group("a")).isEmpty();
  }

  @Test
  void aSampleNotNewerThanTheNewestIsIgnored() {
    record(1, orders(0, 50, 50));

    boolean recorded = record(0, orders(0, 10, 10));

    assertThat(recorded).isFalse();
    assertThat(group("g").latest().partitions().get(0).logEndOffset()).isEqualTo(50);
    assertThat(group("g").partition(0).size()).isEqualTo(1);
  }

  @Test
  void offsetsFarBeyondTheIntRangeAreKeptExactly() {
    long base = 4_000_000_000_000L;
    long step = 1_500_000_000L; // more than an int can hold after two steps
    for (int i = 0; i < 30; i++) {
      record(i, orders(0, base + step * i, base + step * i - 7));
    }

    PartitionTimeline orders0 = group("g").partition(0);
    for (int age = 0; age < orders0.size(); age++) {
      assertThat(orders0.logEnd(age)).isEqualTo(base + step * (29 - age));
      assertThat(orders0.origin(age)).isEqualTo(base + step * (29 - age) - 7);
      assertThat(orders0.lag(age)).isEqualTo(7);
    }
    assertThat(((PartitionHistory) orders0).widened()).isTrue();
  }

  @Test
  void slowlyGrowingOffsetsAreRebasedAndStayNarrow() {
    long step = 50_000_000L; // 2^31 is passed after 43 steps; 23 retained span 1.1 billion
    for (int i = 0; i < 100; i++) {
      record(i, orders(0, step * i, step * i));
    }

    PartitionTimeline orders0 = group("g").partition(0);
    assertThat(orders0.logEnd(0)).isEqualTo(step * 99);
    assertThat(orders0.logEnd(orders0.size() - 1)).isEqualTo(step * (100 - orders0.size()));
    assertThat(((PartitionHistory) orders0).widened()).isFalse();
  }

  @Test
  void aResetToTheEarliestOffsetOfAHugeLogIsKeptAsARewind() {
    long end = 9_000_000_000_000L;
    record(0, orders(0, end, end));
    record(1, orders(0, end + 5, 0));

    PartitionTimeline orders0 = group("g").partition(0);
    assertThat(orders0.origin(0)).isZero();
    assertThat(orders0.origin(1)).isEqualTo(end);
    assertThat(orders0.newestRewind()).isZero();
  }

  @Test
  void aMissingCommittedOffsetIsMarkedAndCountedFromTheLogStart() {
    history.record(GroupSamples.group("g").at(at(0)).uncommitted("orders", 0, 1000, 1540).build());
    record(1, orders(0, 1600, 1550));

    PartitionTimeline orders0 = group("g").partition(0);
    assertThat(orders0.committed(1)).isFalse();
    assertThat(orders0.lag(1)).isEqualTo(540);
    assertThat(orders0.committed(0)).isTrue();
    assertThat(orders0.lag(0)).isEqualTo(50);
  }

  @Test
  void rebalancesAreCountedOverTheWindowAndAStaticRestartIsNotOne() {
    GroupSample first =
        GroupSamples.group("g").at(at(0)).staticMember("a1", "w0", "orders-0").build();
    GroupSample staticRestart =
        GroupSamples.group("g").at(at(1)).staticMember("a2", "w0", "orders-0").build();
    GroupSample joined =
        GroupSamples.group("g").at(at(2)).staticMember("a2", "w0").member("b1", "orders-0").build();
    history.record(first);
    history.record(staticRestart);
    history.record(joined);

    assertThat(group("g").rebalancesSince(T0)).isEqualTo(1);
    assertThat(group("g").rebalancesSince(at(2))).isZero();
  }

  private static PolicySettings withStuckWindow(Duration stuckWindow) {
    return PolicySettingsBuilder.defaults().stuckWindow(stuckWindow).build();
  }

  @Test
  void resizingForLongerWindowsKeepsEverySampleAndThenHoldsMore() {
    for (int i = 0; i < 40; i++) {
      history.record(
          GroupSamples.group("g")
              .at(at(i))
              .member("m" + (i / 10), "orders-0")
              .partition("orders", 0, 1000L * i, 1000L * i - 500)
              .build());
    }
    double lagSeconds = group("g").partition(0).lagSeconds(0);

    boolean resized = history.resizeFor(withStuckWindow(Duration.ofHours(1)));
    for (int i = 40; i < 100; i++) {
      history.record(
          GroupSamples.group("g")
              .at(at(i))
              .member("m3", "orders-0")
              .partition("orders", 0, 1000L * i, 1000L * i - 500)
              .build());
    }

    assertThat(resized).isTrue();
    assertThat(history.capacity().samples()).isEqualTo(123);
    PartitionTimeline orders0 = group("g").partition(0);
    assertThat(orders0.size()).isEqualTo(23 + 60);
    assertThat(orders0.logEnd(60)).isEqualTo(39_000);
    assertThat(orders0.lagSeconds(60)).isEqualTo(lagSeconds);
    assertThat(orders0.logEnd(82)).isEqualTo(17_000);
    assertThat(group("g").rebalancesSince(T0)).isEqualTo(3);
  }

  @Test
  void resizingForShorterWindowsKeepsTheNewestSamples() {
    LagHistory long_ = LagHistory.sizedFor(withStuckWindow(Duration.ofHours(1)));
    for (int i = 0; i < 100; i++) {
      long_.record(
          GroupSamples.group("g")
              .at(at(i))
              .partition("orders", 0, 1000L * i, i == 95 ? 0 : 1000L * i - 500)
              .build());
    }

    long_.resizeFor(PolicySettings.defaults());

    PartitionTimeline orders0 = long_.group("g").orElseThrow().partition(0);
    assertThat(orders0.size()).isEqualTo(23);
    assertThat(orders0.logEnd(0)).isEqualTo(99_000);
    assertThat(orders0.logEnd(22)).isEqualTo(77_000);
    assertThat(orders0.newestRewind()).isEqualTo(99 - 95);
    assertThat(long_.resizeFor(PolicySettings.defaults())).isFalse();
  }
}
