package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
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
    List<PartitionImage> partitions) {

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
   */
  public record PartitionImage(
      String topic,
      int partition,
      long[] logEnds,
      long[] origins,
      float[] lagSeconds,
      boolean[] fromLogStart,
      int lastSequence,
      int rewindSequence) {
    public int size() {
      return logEnds.length;
    }
  }
}
