package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;

/**
 * Lag in messages of one partition: the records between where the group is and the log end, {@code
 * max(0, logEnd − origin)}, counting only records that still exist.
 *
 * <ul>
 *   <li>The origin is the committed offset when the group has one and it is still in the log.
 *   <li>A partition the group has never committed an offset for is measured from the log start (the
 *       earliest offset), which is where a consumer with {@code auto.offset.reset=earliest} would
 *       begin.
 *   <li>When retention has deleted records the group had not consumed yet, its committed offset is
 *       below the log start: those records are lost, not lag, and the lag counts from the log
 *       start. {@link #lostToRetention} says how many are lost.
 * </ul>
 */
public final class MessageLag {
  private MessageLag() {}

  /** The lag of one sampled partition. */
  public static long of(PartitionSample partition) {
    return Math.max(0, partition.logEndOffset() - origin(partition));
  }

  /**
   * The offset lag is counted from: the committed offset, else the log start (0 if unread); and the
   * log start when it is above the committed offset.
   */
  public static long origin(PartitionSample partition) {
    long logStart = Math.max(0, partition.logStartOffset());
    Long committed = partition.committedOffset();
    return committed == null ? logStart : Math.max(committed, logStart);
  }

  /**
   * Where the group stands by its commits: the committed offset, or the log start (0 if unread)
   * when it has none. Unlike {@link #origin} it stays below the log start when records were lost,
   * so a group that stopped committing is seen not to move while retention deletes under it.
   */
  public static long position(PartitionSample partition) {
    Long committed = partition.committedOffset();
    return committed != null ? committed : Math.max(0, partition.logStartOffset());
  }

  /**
   * Records deleted by retention before the group consumed them, as the sample shows: {@code
   * logStart − committed} when the committed offset is below the log start, else 0.
   */
  public static long lostToRetention(PartitionSample partition) {
    Long committed = partition.committedOffset();
    if (committed == null || partition.logStartOffset() <= committed) {
      return 0;
    }
    return partition.logStartOffset() - committed;
  }

  /** Where the lag of this partition is counted from. */
  public static LagFrom from(PartitionSample partition) {
    if (partition.committedOffset() == null) {
      return LagFrom.LOG_START;
    }
    return lostToRetention(partition) > 0 ? LagFrom.LOG_START_AFTER_LOSS : LagFrom.COMMITTED;
  }
}
