package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;

/**
 * One partition of a group's newest sample.
 *
 * @param lagSeconds null while unknown
 * @param committedOffset null when the group has none
 * @param lagFrom {@code COMMITTED}, {@code LOG_START} (no committed offset) or {@code
 *     LOG_START_AFTER_LOSS} (retention deleted records the group had not consumed)
 * @param owner the member it is assigned to, or null
 * @param recordsLost records retention deleted before the group consumed them, observed since the
 *     operator began watching
 * @param catchUp when it will have caught up: a duration, {@code caught up} or {@code not catching
 *     up}; null while unknown
 * @param catchUpSeconds the same in seconds; null when not catching up or unknown
 * @param lossInSeconds seconds until retention may delete its oldest unconsumed record, when the
 *     forecast says it will at the present rates; null otherwise
 */
public record PartitionView(
    PartitionRefView ref,
    long lag,
    Double lagSeconds,
    Long committedOffset,
    String lagFrom,
    String owner,
    long recordsLost,
    String catchUp,
    Double catchUpSeconds,
    Double lossInSeconds) {
  static PartitionView of(PartitionLag p) {
    return new PartitionView(
        PartitionRefView.of(p.ref()),
        p.lag(),
        p.lagSeconds(),
        p.committedOffset(),
        p.lagFrom().name(),
        p.owner(),
        p.recordsLost(),
        p.catchUp().text(),
        p.catchUp().seconds(),
        p.lossInSeconds());
  }
}
