package io.groupwarden.operator.lag.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.PartitionTimeline;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.TestTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LagHistoryPropertiesTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static GroupSample sample(int i, long logEnd, Long committed) {
    return new GroupSample(
        "g",
        T0.plusSeconds(30L * i),
        "Stable",
        "range",
        null,
        List.of(),
        List.of(new PartitionSample("orders", 0, 0, logEnd, committed)));
  }

  @Property(tries = 200)
  void theRingNeverHoldsMoreThanItsCapacityAndKeepsTheNewestSamplesExactly(
      @ForAll @Size(min = 1, max = 80)
          List<@LongRange(min = -3_000_000_000L, max = 3_000_000_000L) Long> endSteps,
      @ForAll @Size(min = 1, max = 80) List<@LongRange(min = 0, max = 4_000_000_000L) Long> lags,
      @ForAll @IntRange(min = 0, max = 5) int uncommittedEvery) {
    LagHistory history = LagHistory.sizedFor(PolicySettings.defaults());
    int capacity = history.capacity().samples();
    List<Long> ends = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    long end = 5_000_000_000L;
    for (int i = 0; i < endSteps.size(); i++) {
      end = Math.max(0, end + endSteps.get(i));
      long offset = Math.max(0, end - lags.get(i % lags.size()));
      boolean none = uncommittedEvery > 0 && i % uncommittedEvery == 0;
      ends.add(end);
      committed.add(none ? null : offset);
      history.record(sample(i, end, none ? null : offset));

      PartitionTimeline timeline = history.group("g").orElseThrow().partition(0);
      assertThat(timeline.size())
          .isLessThanOrEqualTo(capacity)
          .isEqualTo(Math.min(i + 1, capacity));
      for (int age = 0; age < timeline.size(); age++) {
        int index = i - age;
        assertThat(timeline.logEnd(age)).isEqualTo(ends.get(index));
        assertThat(timeline.committed(age)).isEqualTo(committed.get(index) != null);
        if (committed.get(index) != null) {
          assertThat(timeline.origin(age)).isEqualTo(committed.get(index));
        }
        assertThat(timeline.lag(age)).isNotNegative();
      }
    }
  }

  @Property(tries = 200)
  void theTrackedRewindIsTheOneAScanFinds(
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = -50, max = 100) Integer> moves) {
    LagHistory history = LagHistory.sizedFor(PolicySettings.defaults());
    long offset = 10_000;
    for (int i = 0; i < moves.size(); i++) {
      offset += moves.get(i);
      history.record(sample(i, offset + 500, offset));
    }

    PartitionTimeline tracked = history.group("g").orElseThrow().partition(0);
    // the same retained samples in a timeline that tracks nothing: the interface's own scan
    TestTimeline scanned = TestTimeline.startingAt(Instant.EPOCH, Duration.ofSeconds(30));
    for (int age = tracked.size() - 1; age >= 0; age--) {
      scanned.sample(tracked.logEnd(age), tracked.committed(age) ? tracked.origin(age) : null);
    }
    assertThat(tracked.newestRewind()).isEqualTo(scanned.newestRewind());
  }
}
