package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import java.time.Instant;

/**
 * A partition that makes no progress.
 *
 * @param reason {@code STALL}, {@code STOP} or {@code REWIND}
 */
public record StuckPartitionView(
    PartitionRefView ref, Instant since, long committedOffset, long lag, String reason) {
  static StuckPartitionView of(StuckPartition s) {
    return new StuckPartitionView(
        PartitionRefView.of(s.ref()), s.since(), s.committedOffset(), s.lag(), s.reason().name());
  }
}
