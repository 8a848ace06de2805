package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.time.Instant;
import java.util.List;

/**
 * The result of evaluating one group at one instant: what the reconciler writes into status,
 * metrics and events. The problems in it (SLO compliance, fairness, stability, stuck partitions,
 * records lost and at risk) are as settled by their hysteresis ({@link GroupAlerts}): raised once
 * they have held long enough, kept until they have been gone for the recovery time.
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
 * @param sloCompliant whether {@code sloCompliance >= complianceTarget}, settled; true when the
 *     compliance is unknown (no evidence of a violation)
 * @param fairnessGini Gini coefficient of partitions per member (0..1)
 * @param fair whether {@code fairnessGini <= maxGini}, settled
 * @param rebalances rebalances observed in the rebalance window
 * @param rebalanceScore {@code max(0, 100 - 100 * rebalances / maxRebalances)}
 * @param rebalanceStable whether {@code rebalanceScore >= minRebalanceScore}, settled
 * @param stuckPartitions the partitions that are stuck, settled, sorted
 * @param coverage consumed partitions / partitions of the group's topics (0..1); 1 when there are
 *     no partitions
 * @param partitions per-partition detail of the newest sample, sorted
 * @param recommendation every finding, most severe first, and the sentence that sums them up
 * @param desiredReplicas the consumers the policy's autoscale settings ask for now, clamped to its
 *     bounds but not yet stabilised (see {@link ScaleDecider}); null without autoscale settings
 * @param recordsLost records retention deleted before the group consumed them, over its partitions
 *     and everything observed since the operator began watching the group
 * @param overruns partitions whose committed offset is below their log start, settled, sorted
 * @param lossRisks partitions whose oldest unconsumed record retention may delete within the SLO
 *     window, settled, sorted
 * @param catchUp when the group will have caught up
 * @param alerts the hysteresis state to pass to the group's next evaluation
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
    Integer desiredReplicas,
    long recordsLost,
    List<RetentionOverrun> overruns,
    List<LossRisk> lossRisks,
    CatchUp catchUp,
    GroupAlerts alerts) {

  public GroupEvaluation {
    topics = List.copyOf(topics);
    stuckPartitions = List.copyOf(stuckPartitions);
    partitions = List.copyOf(partitions);
    overruns = List.copyOf(overruns);
    lossRisks = List.copyOf(lossRisks);
  }

  /** Every finding, most severe first. */
  public List<Finding> findings() {
    return recommendation.findings();
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
   * @param lagFrom where the lag counts from: the committed offset or the log start
   * @param owner the identity of the member the partition is assigned to, or null
   * @param recordsLost records retention deleted before the group consumed them, observed since the
   *     operator began watching (a count that only grows)
   * @param catchUp when the partition will have caught up
   * @param lossInSeconds seconds until retention may delete its oldest unconsumed record, when the
   *     forecast says it will at the present rates; null otherwise
   */
  public record PartitionLag(
      PartitionRef ref,
      long lag,
      Double lagSeconds,
      Long committedOffset,
      LagFrom lagFrom,
      String owner,
      long recordsLost,
      CatchUp catchUp,
      Double lossInSeconds) {}

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
   * A partition whose committed offset is below its log start: retention deleted records the group
   * had not consumed.
   *
   * @param ref topic and partition
   * @param committedOffset the committed offset
   * @param logStartOffset the log start, above it
   * @param recordsLost records lost on this partition, observed since the operator began watching
   * @param since when the committed offset was first seen below the log start
   */
  public record RetentionOverrun(
      PartitionRef ref,
      long committedOffset,
      long logStartOffset,
      long recordsLost,
      Instant since) {}

  /**
   * A partition whose oldest unconsumed record retention may delete within the SLO window.
   *
   * @param ref topic and partition
   * @param lag its lag in messages
   * @param ageSeconds the age of its oldest unconsumed record, NaN when unknown
   * @param retention the topic's retention limits
   * @param risk the forecast
   */
  public record LossRisk(
      PartitionRef ref,
      long lag,
      double ageSeconds,
      TopicRetention retention,
      RetentionRisk risk) {}

  /**
   * A group that cannot keep up: it consumes slower than messages arrive, or misses its SLO for
   * want of consumers, or its partitions wait while a busy consumer serves its others in turn.
   *
   * @param members the consumers now
   * @param estimate how many it needs and why, or null when that cannot be estimated
   * @param catchUp when it will have caught up, over its partitions that are not stuck
   * @param waiting partitions whose committed offset stood still while their consumer, behind on
   *     its other partitions, served those: a slow group, not stuck partitions
   */
  public record UnderProvisioned(
      int members,
      ReplicaEstimator.Estimate estimate,
      CatchUp catchUp,
      List<PartitionRef> waiting) {
    public UnderProvisioned {
      waiting = List.copyOf(waiting);
    }
  }

  /**
   * What to do about a group: every finding, most severe first, and one sentence for status that
   * names the first and the actions of the others.
   *
   * @param action the kind of the first finding's action, NONE without findings
   * @param message the sentence shown in status
   * @param desiredReplicas the replica count to scale to, when the first action is to scale
   * @param findings every finding, most severe first
   */
  public record Recommendation(
      Action action, String message, Integer desiredReplicas, List<Finding> findings) {
    public Recommendation {
      findings = List.copyOf(findings);
    }

    /** Every finding's sentence, most severe first: the recommendation in full. */
    public String fullText() {
      if (findings.isEmpty()) {
        return message;
      }
      StringBuilder text = new StringBuilder();
      for (Finding finding : findings) {
        text.append(text.length() == 0 ? "" : " ").append(finding.sentence());
      }
      return text.toString();
    }
  }

  /** The kinds of recommended action, in the order of the findings they answer. */
  public enum Action {
    PREVENT_DATA_LOSS,
    INSPECT_STUCK_PARTITION,
    SCALE_OUT,
    CHECK_CONSUMERS,
    ASSIGN_UNCONSUMED_PARTITIONS,
    REBALANCE_ASSIGNMENT,
    STABILISE_MEMBERSHIP,
    SCALE_IN,
    NONE
  }
}
