package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Finds a partition that makes no progress, after Burrow's rules:
 *
 * <ul>
 *   <li><b>STALL</b> — a member owns it, its lag stayed above 0 for the whole stuck window, and its
 *       committed offset did not move while the log end did.
 *   <li><b>STOP</b> — the same, but no member owns it.
 *   <li><b>REWIND</b> — its committed offset moved backwards at a sample inside the window.
 * </ul>
 *
 * "The whole window" means the run of samples with an unchanged committed offset and lag above 0
 * starts at or before {@code now − window}: a partition whose retained history does not reach back
 * that far is not judged stuck. The run's first sample is the {@code since} reported. A partition
 * without a committed offset is not judged here; its lag is reported from the log start and, when
 * no member owns it, it lowers the group's coverage.
 */
public final class StuckPartitionDetector {
  private StuckPartitionDetector() {}

  /**
   * A stuck partition, with the numbers its recommendation quotes.
   *
   * @param partition what status reports
   * @param arrived messages produced since the no-progress run began (STALL, STOP)
   * @param rewoundFrom the committed offset before it moved backwards (REWIND), else -1
   * @param sinceAge the age of the sample the no-progress run (or the rewind) began at
   */
  public record Detection(StuckPartition partition, long arrived, long rewoundFrom, int sinceAge) {}

  /**
   * Judges one partition.
   *
   * @param ref the partition
   * @param timeline its history, age 0 being the newest sample
   * @param owned whether a member owns it in the newest sample
   * @param window the stuck window
   * @param now the evaluation time
   * @return the finding, or null when the partition is not stuck
   */
  public static Detection detect(
      PartitionRef ref, PartitionTimeline timeline, boolean owned, Duration window, Instant now) {
    int size = timeline.size();
    if (size < 2 || !timeline.committed(0)) {
      return null;
    }
    long windowStart = now.minus(window).toEpochMilli();
    long current = timeline.origin(0);
    int rewind = timeline.newestRewind();
    if (rewind >= 0 && timeline.timeMillis(rewind) > windowStart) {
      StuckPartition rewound = stuckSince(ref, timeline, rewind, StuckReason.REWIND);
      return new Detection(rewound, 0, timeline.origin(rewind + 1), rewind);
    }
    int runStart = 0;
    for (int age = 1; age < size; age++) {
      if (!timeline.committed(age)
          || timeline.origin(age) != current
          || timeline.logEnd(age) <= current) {
        break;
      }
      runStart = age;
    }
    boolean coversWindow = timeline.timeMillis(runStart) <= windowStart;
    long arrived = timeline.logEnd(0) - timeline.logEnd(runStart);
    if (!coversWindow || timeline.lag(0) == 0 || arrived <= 0) {
      return null;
    }
    StuckPartition stuck =
        stuckSince(ref, timeline, runStart, owned ? StuckReason.STALL : StuckReason.STOP);
    return new Detection(stuck, arrived, -1, runStart);
  }

  /**
   * The partition as stuck since the sample {@code age} samples old, at its newest committed offset
   * and lag.
   */
  private static StuckPartition stuckSince(
      PartitionRef ref, PartitionTimeline timeline, int age, StuckReason reason) {
    return new StuckPartition(
        ref,
        Instant.ofEpochMilli(timeline.timeMillis(age)),
        timeline.origin(0),
        timeline.lag(0),
        reason);
  }
}
