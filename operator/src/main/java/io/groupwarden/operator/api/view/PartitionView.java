package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;

/**
 * One partition of a group's newest sample.
 *
 * @param lagSeconds null while unknown
 * @param committedOffset null when the group has none
 * @param lagFrom {@code COMMITTED} or {@code LOG_START}
 * @param owner the member it is assigned to, or null
 */
public record PartitionView(
    PartitionRefView ref,
    long lag,
    Double lagSeconds,
    Long committedOffset,
    String lagFrom,
    String owner) {
  static PartitionView of(PartitionLag p) {
    return new PartitionView(
        PartitionRefView.of(p.ref()),
        p.lag(),
        p.lagSeconds(),
        p.committedOffset(),
        p.lagFrom().name(),
        p.owner());
  }
}
