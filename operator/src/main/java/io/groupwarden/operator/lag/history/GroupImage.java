package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import java.util.List;

/**
 * Everything a group's history holds, as plain values: what a snapshot stores so that another
 * replica, or this one after a restart, continues the history where it stopped. Arrays run oldest
 * first.
 *
 * @param groupId the group
 * @param sequence how many samples the group's history has recorded
 * @param times the retained sample times (epoch milliseconds)
 * @param state the newest sample's group state
 * @param assignor the newest sample's assignor
 * @param epoch the newest sample's group epoch, or null
 * @param members the newest sample's members
 * @param rebalancing whether the group was rebalancing at the newest sample
 * @param settledEpoch the epoch of the last sample taken outside a rebalance (when rebalancing)
 * @param settledMembers the members of that sample, or null when there was none (when rebalancing)
 * @param rebalanceTimes the times rebalances were observed within the rebalance window
 * @param partitions the newest sample's partitions, in its order
 * @param alerts the hysteresis state the group's last evaluation left
 */
public record GroupImage(
    String groupId,
    int sequence,
    long[] times,
    String state,
    String assignor,
    Integer epoch,
    List<MemberSample> members,
    boolean rebalancing,
    Integer settledEpoch,
    List<MemberSample> settledMembers,
    long[] rebalanceTimes,
    List<PartitionImage> partitions,
    GroupAlerts alerts) {

  /**
   * The retained samples of one partition; its arrays are as long as its retained history, which
   * may be shorter than the group's (a partition that appeared later), and end at the group's
   * newest sample.
   *
   * @param logEnds log end offsets
   * @param origins committed offsets, or log start offsets where {@code fromLogStart} is set
   * @param lagSeconds lag in seconds as computed when each sample arrived (NaN when unknown)
   * @param fromLogStart where the group had no committed offset; null when it always had one
   * @param lastSequence the group sequence of the partition's newest sample
   * @param rewindSequence the group sequence at which the committed offset last moved backwards, or
   *     -1
   * @param lostUpTo the log start of each sample whose committed offset was below it (0 where it
   *     was not); null when the partition never lost records
   * @param loss what retention deleted under the group over every sample recorded; null when the
   *     partition never lost records
   * @param lastProgressMillis when the committed offset last advanced, over every sample recorded;
   *     -1 when it never did
   * @param newest the partition's newest sample, with what the rings do not keep (the log start,
   *     the oldest unconsumed record's time, the size and the topic's retention)
   */
  public record PartitionImage(
      String topic,
      int partition,
      long[] logEnds,
      long[] origins,
      float[] lagSeconds,
      boolean[] fromLogStart,
      int lastSequence,
      int rewindSequence,
      long[] lostUpTo,
      Loss loss,
      long lastProgressMillis,
      PartitionSample newest) {
    public int size() {
      return logEnds.length;
    }
  }

  /**
   * What retention deleted under a group on one partition, counted once however often it is seen.
   *
   * @param total records lost, over every sample recorded
   * @param countedUpTo the offset up to which lost records are counted
   * @param overrunSinceMillis when the present run of samples below the log start began; -1 when
   *     the newest sample lost nothing
   */
  public record Loss(long total, long countedUpTo, long overrunSinceMillis) {}
}
