package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;

/**
 * Lag in messages of one partition: {@code max(0, logEnd − committed)}. A partition the group has
 * never committed an offset for is measured from the log start (the earliest offset), which is
 * where a consumer with {@code auto.offset.reset=earliest} would begin; the result says so.
 */
public final class MessageLag {
  private MessageLag() {}

  /** The lag of one sampled partition. */
  public static long of(PartitionSample partition) {
    return Math.max(0, partition.logEndOffset() - origin(partition));
  }

  /** The offset lag is counted from: the committed offset, else the log start (0 if unread). */
  public static long origin(PartitionSample partition) {
    Long committed = partition.committedOffset();
    return committed != null ? committed : Math.max(0, partition.logStartOffset());
  }

  /** Where the lag of this partition is counted from. */
  public static LagFrom from(PartitionSample partition) {
    return partition.committedOffset() != null ? LagFrom.COMMITTED : LagFrom.LOG_START;
  }
}
