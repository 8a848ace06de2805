package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.time.Instant;
import java.util.List;

/**
 * The result of evaluating one group at one instant: what the reconciler writes into status,
 * metrics and events.
 *
 * @param groupId the group id
 * @param state the group state of the newest sample
 * @param members the number of members
 * @param assignor the assignor or protocol in use
 * @param topics the group's topics, sorted
 * @param lag lag in messages over the group's partitions, newest sample
 * @param lagSeconds lag in time over the partitions whose lag time is known
 * @param sloCompliance share of partitions whose p95 lag over the SLO window is within the bound
 *     (0..1); null when no partition could be judged yet (see {@link SloCompliance})
 * @param sloCompliant whether {@code sloCompliance >= complianceTarget}; true when the compliance
 *     is unknown (no evidence of a violation)
 * @param fairnessGini Gini coefficient of partitions per member (0..1)
 * @param fair whether {@code fairnessGini <= maxGini}
 * @param rebalances rebalances observed in the rebalance window
 * @param rebalanceScore {@code max(0, 100 - 100 * rebalances / maxRebalances)}
 * @param rebalanceStable whether {@code rebalanceScore >= minRebalanceScore}
 * @param stuckPartitions the partitions that are stuck, sorted
 * @param coverage consumed partitions / partitions of the group's topics (0..1); 1 when there are
 *     no partitions
 * @param partitions per-partition detail of the newest sample, sorted
 * @param recommendation the one action to take
 * @param desiredReplicas the consumers the policy's autoscale settings ask for now, clamped to its
 *     bounds but not yet stabilised (see {@link ScaleDecider}); null without autoscale settings
 */
public record GroupEvaluation(
    String groupId,
    String state,
    int members,
    String assignor,
    List<String> topics,
    LagStats lag,
    LagSecondsStats lagSeconds,
    Double sloCompliance,
    boolean sloCompliant,
    double fairnessGini,
    boolean fair,
    int rebalances,
    int rebalanceScore,
    boolean rebalanceStable,
    List<StuckPartition> stuckPartitions,
    double coverage,
    List<PartitionLag> partitions,
    Recommendation recommendation,
    Integer desiredReplicas) {

  public GroupEvaluation {
    topics = List.copyOf(topics);
    stuckPartitions = List.copyOf(stuckPartitions);
    partitions = List.copyOf(partitions);
  }

  /** Lag in messages: p50, p95, max and total over the group's partitions. */
  public record LagStats(long p50, long p95, long max, long total) {}

  /** Lag in seconds; either value is null when no partition's lag time is known. */
  public record LagSecondsStats(Double p95, Double max) {}

  /**
   * One partition of the newest sample.
   *
   * @param ref topic and partition
   * @param lag lag in messages, never negative
   * @param lagSeconds lag in time, null when unknown (too few samples)
   * @param committedOffset the committed offset, or null when the group has none
   * @param lagFrom {@code COMMITTED} or {@code LOG_START} (no committed offset: lag from earliest)
   * @param owner the identity of the member the partition is assigned to, or null
   */
  public record PartitionLag(
      PartitionRef ref,
      long lag,
      Double lagSeconds,
      Long committedOffset,
      LagFrom lagFrom,
      String owner) {}

  /** Where a partition's lag is measured from. */
  public enum LagFrom {
    /** The group's committed offset. */
    COMMITTED,
    /** The log start: the group has no committed offset. */
    LOG_START,
    /** The log start: retention deleted records between the committed offset and it. */
    LOG_START_AFTER_LOSS
  }

  /**
   * A partition that makes no progress.
   *
   * @param ref topic and partition
   * @param since the start of the run of samples in which it made no progress
   * @param committedOffset the committed offset it is stuck at
   * @param lag its lag in messages now
   * @param reason STALL (a member owns it but its committed offset does not move while the log
   *     grows), STOP (nobody owns it and the log grows), or REWIND (the committed offset moved
   *     backwards)
   */
  public record StuckPartition(
      PartitionRef ref, Instant since, long committedOffset, long lag, StuckReason reason) {}

  /** Why a partition is reported stuck; Burrow's rules are the reference. */
  public enum StuckReason {
    STALL,
    STOP,
    REWIND
  }

  /**
   * One plain sentence naming the action, and the replica count when the action is to scale.
   *
   * @param action what to do
   * @param message the sentence shown to users
   * @param desiredReplicas the replica count to scale to, or null when the action is not scaling
   */
  public record Recommendation(Action action, String message, Integer desiredReplicas) {}

  /** The kinds of recommended action, in the order they are preferred when several apply. */
  public enum Action {
    INSPECT_STUCK_PARTITION,
    SCALE_OUT,
    ASSIGN_UNCONSUMED_PARTITIONS,
    STABILISE_MEMBERSHIP,
    REBALANCE_ASSIGNMENT,
    SCALE_IN,
    NONE
  }
}
