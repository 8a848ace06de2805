package io.groupwarden.operator.governance.benchmark;

import static io.groupwarden.operator.benchmark.SelfMeasures.usedHeapAfterGc;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The scale a benchmark of the governance cycle runs at: how many groups of how many partitions,
 * sampled at which interval, with how many samples of history before it measures. Cycle {@code n}
 * samples at {@code n} intervals after a fixed start, so that runs are repeatable.
 */
public record HistoryScale(
    int groups, int partitionsPerGroup, Duration interval, int historySamples) {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  public int partitions() {
    return groups * partitionsPerGroup;
  }

  /** When cycle {@code cycle} samples. */
  public Instant time(int cycle) {
    return START.plus(interval.multipliedBy(cycle));
  }

  /**
   * Runs the cycles that fill the history, {@code cycle} for each of cycles 0 to {@code
   * historySamples - 1}, and returns the heap they leave retained (used heap after full collections
   * before and after).
   */
  public long fillHistory(IntConsumer cycle) {
    long before = usedHeapAfterGc();
    for (int n = 0; n < historySamples; n++) {
      cycle.accept(n);
    }
    return usedHeapAfterGc() - before;
  }

  /** The first line of a report: {@code title} and this scale. */
  public String describe(String title) {
    return String.format(
        Locale.ROOT,
        "%s: %d groups, %d partitions, %d samples of history at %ds",
        title,
        groups,
        partitions(),
        historySamples,
        interval.toSeconds());
  }
}
