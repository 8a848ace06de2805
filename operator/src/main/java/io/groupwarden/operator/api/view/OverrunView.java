package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import java.time.Instant;

/**
 * A partition whose committed offset is below its log start: retention deleted records the group
 * had not consumed, and its lag counts from the log start.
 *
 * @param recordsLost records lost on the partition, observed since the operator began watching
 * @param since when the committed offset was first seen below the log start
 */
public record OverrunView(
    PartitionRefView ref,
    long committedOffset,
    long logStartOffset,
    long recordsLost,
    Instant since) {
  static OverrunView of(RetentionOverrun o) {
    return new OverrunView(
        PartitionRefView.of(o.ref()),
        o.committedOffset(),
        o.logStartOffset(),
        o.recordsLost(),
        o.since());
  }
}
