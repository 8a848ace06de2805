package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.ConditionedStatus;
import io.groupwarden.operator.common.SecretKeyRef;
import java.util.List;
import java.util.Map;

/**
 * What the operator observed of a policy's groups and concluded.
 *
 * @param observedGeneration the spec generation this status is for
 * @param conditions Ready, SLOCompliant, FairlyDistributed, RebalanceStable, NoStuckPartitions,
 *     NoDataLoss
 * @param groups one entry per governed group
 * @param missingGroups named groups the cluster does not know
 * @param summary the policy at a glance
 * @param coordinator the managed coordinator broker, when the policy has one
 * @param autoscale the scaling state, when the policy scales
 * @param lastEvaluationTime when the groups were last sampled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsumerGroupPolicyStatus(
    @JsonPropertyDescription("The spec generation this status reflects.") Long observedGeneration,
    @JsonPropertyDescription(
            "Ready, SLOCompliant, FairlyDistributed, RebalanceStable, NoStuckPartitions and"
                + " NoDataLoss. A problem's condition turns False when the problem has held for"
                + " its window and True again only when it has been gone for spec.recoveryTime.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "One entry per governed consumer group, the least healthy first (at most 200).")
        List<GroupStatus> groups,
    @JsonPropertyDescription("Groups named in spec.groups that the cluster does not know.")
        List<String> missingGroups,
    @JsonPropertyDescription("The policy at a glance.") Summary summary,
    @JsonPropertyDescription("The coordinator broker the operator deploys for this policy.")
        CoordinatorStatus coordinator,
    @JsonPropertyDescription("State of lag-driven scaling.") AutoscaleStatus autoscale,
    @JsonPropertyDescription("When the groups were last sampled (RFC 3339).")
        String lastEvaluationTime)
    implements ConditionedStatus {

  /** Overall health of a policy's groups. */
  public enum Health {
    Healthy,
    Warning,
    Critical
  }

  /**
   * The policy at a glance; the printer columns read from here.
   *
   * @param groups governed groups
   * @param totalLag lag in messages over all groups
   * @param worstCompliance the lowest SLO compliance of any group
   * @param worstGini the highest Gini coefficient of any group
   * @param stuck stuck partitions over all groups
   * @param health Healthy, Warning or Critical
   * @param recordsLost records lost to retention over all groups
   * @param catchUp when the slowest group will have caught up
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Summary(
      @JsonPropertyDescription("Number of governed groups.") Integer groups,
      @JsonPropertyDescription("Lag in messages summed over all groups.") Long totalLag,
      @JsonPropertyDescription("The lowest SLO compliance (0 to 1) of any group.")
          Double worstCompliance,
      @JsonPropertyDescription("The highest partition Gini coefficient of any group.")
          Double worstGini,
      @JsonPropertyDescription("Stuck partitions over all groups.") Integer stuck,
      @JsonPropertyDescription(
              "Healthy; Warning (unfair, unstable, short of consumers or partly unconsumed"
                  + " groups); Critical (SLO violated, stuck partitions, records lost to retention"
                  + " or at risk of it, or the cluster unreachable).")
          Health health,
      @JsonPropertyDescription(
              "Records that retention deleted before their group consumed them, summed over all"
                  + " groups, as observed since the operator began watching them.")
          Long recordsLost,
      @JsonPropertyDescription(
              "When the slowest group will have caught up at the present rates: a duration such"
                  + " as 4m10s, \"caught up\", or \"not catching up\"; absent while unknown.")
          String catchUp) {}

  /**
   * One governed group.
   *
   * @param groupId the group id
   * @param state the broker's group state
   * @param members members now
   * @param assignor assignor or protocol in use
   * @param topics the group's topics
   * @param lag lag in messages
   * @param lagSeconds lag in time
   * @param sloCompliance share of partitions meeting the SLO
   * @param fairnessGini Gini of partitions per member
   * @param rebalanceScore rebalance stability score
   * @param rebalances rebalances in the window
   * @param stuckPartitions partitions without progress
   * @param coverage consumed partitions / partitions of the topics
   * @param uncommittedPartitions partitions without a committed offset, lag measured from the log
   *     start
   * @param recommendation the action to take
   * @param desiredReplicas consumers the lag asks for, when the policy scales
   * @param recordsLost records lost to retention
   * @param overrunPartitions partitions whose committed offset is below their log start
   * @param lossAtRisk partitions whose oldest unconsumed record retention may delete soon
   * @param catchUp when the group will have caught up, as text
   * @param catchUpSeconds the same in seconds, when it is catching up or caught up
   * @param findings every problem, most severe first
   * @param memberDetails the members (for groups of at most {@code MAX_MEMBERS_LISTED} members)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GroupStatus(
      @JsonPropertyDescription("Consumer group id.") String groupId,
      @JsonPropertyDescription(
              "Group state reported by the broker: Stable, Empty, PreparingRebalance,"
                  + " CompletingRebalance, Dead, ...")
          String state,
      @JsonPropertyDescription("Number of members.") Integer members,
      @JsonPropertyDescription("Partition assignor (or protocol) in use.") String assignor,
      @JsonPropertyDescription(
              "Topics the group consumes or has offsets for (after the topic filter).")
          List<String> topics,
      @JsonPropertyDescription("Lag in messages over the group's partitions.") LagStatus lag,
      @JsonPropertyDescription("Lag in seconds over the partitions whose lag time is known.")
          LagSecondsStatus lagSeconds,
      @JsonPropertyDescription(
              "Share (0 to 1) of partitions whose p95 lag over the SLO window meets the bound;"
                  + " absent until a partition can be judged.")
          Double sloCompliance,
      @JsonPropertyDescription(
              "Gini coefficient of partitions per member, members with none included (0 = even,"
                  + " 1 = all on one member).")
          Double fairnessGini,
      @JsonPropertyDescription("max(0, 100 - 100 x rebalances / maxRebalances) over the window.")
          Integer rebalanceScore,
      @JsonPropertyDescription("Rebalances observed within the rebalance window.")
          Integer rebalances,
      @JsonPropertyDescription("Partitions that make no progress.")
          List<StuckPartitionStatus> stuckPartitions,
      @JsonPropertyDescription("Share (0 to 1) of the topics' partitions assigned to some member.")
          Double coverage,
      @JsonPropertyDescription(
              "Partitions (topic-partition) with no committed offset; their lag is measured from"
                  + " the log start.")
          List<String> uncommittedPartitions,
      @JsonPropertyDescription(
              "One sentence: the most severe finding with what to do, then the actions the"
                  + " other findings ask for.")
          String recommendation,
      @JsonPropertyDescription("Consumers the lag asks for, when the policy autoscales.")
          Integer desiredReplicas,
      @JsonPropertyDescription(
              "Records that retention deleted before the group consumed them, observed since the"
                  + " operator began watching the group.")
          Long recordsLost,
      @JsonPropertyDescription(
              "Partitions whose committed offset is below their log start: retention deleted"
                  + " records the group had not consumed, and their lag counts from the log start.")
          List<OverrunStatus> overrunPartitions,
      @JsonPropertyDescription(
              "Partitions whose oldest unconsumed record retention may delete within the SLO"
                  + " window at the present rates.")
          List<LossRiskStatus> lossAtRisk,
      @JsonPropertyDescription(
              "When the group will have caught up at the rates measured over the SLO window: a"
                  + " duration such as 4m10s, \"caught up\", or \"not catching up\"; absent while"
                  + " unknown.")
          String catchUp,
      @JsonPropertyDescription(
              "Seconds until the group's lag reaches zero at the present rates; 0 when caught up;"
                  + " absent when it is not catching up or unknown.")
          Double catchUpSeconds,
      @JsonPropertyDescription(
              "Every problem found, most severe first: records lost, records at risk, stuck"
                  + " partitions, too few consumers, SLO violated, unconsumed partitions, uneven"
                  + " assignment, instability, too many consumers (at most 50).")
          List<FindingStatus> findings,
      @JsonPropertyDescription(
              "The members with their client id, host and number of assigned partitions, for"
                  + " groups of at most 20 members; the insight API lists every member of any"
                  + " group.")
          List<MemberStatus> memberDetails) {}

  /**
   * A partition that lost records to retention.
   *
   * @param topic topic
   * @param partition partition number
   * @param committedOffset the group's committed offset
   * @param logStartOffset the log start, above it
   * @param recordsLost records lost on the partition
   * @param since when the committed offset was first seen below the log start
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OverrunStatus(
      @JsonPropertyDescription("Topic.") String topic,
      @JsonPropertyDescription("Partition number.") Integer partition,
      @JsonPropertyDescription("The group's committed offset.") Long committedOffset,
      @JsonPropertyDescription("The partition's log start offset, above the committed offset.")
          Long logStartOffset,
      @JsonPropertyDescription(
              "Records deleted before the group consumed them, observed since the operator began"
                  + " watching.")
          Long recordsLost,
      @JsonPropertyDescription(
              "When the committed offset was first seen below the log start (RFC 3339).")
          String since)
      implements PartitionEntry {}

  /**
   * A partition at risk of losing records to retention.
   *
   * @param topic topic
   * @param partition partition number
   * @param lossIn when the oldest unconsumed record may be deleted, as a duration
   * @param lossInSeconds the same in seconds
   * @param lag lag in messages
   * @param limit the retention limit that deletes it first
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LossRiskStatus(
      @JsonPropertyDescription("Topic.") String topic,
      @JsonPropertyDescription("Partition number.") Integer partition,
      @JsonPropertyDescription(
              "When retention may delete the oldest unconsumed record at the present rates, e.g."
                  + " 40m; 0s when it may go at any moment.")
          String lossIn,
      @JsonPropertyDescription("The same in seconds.") Double lossInSeconds,
      @JsonPropertyDescription("Lag in messages now.") Long lag,
      @JsonPropertyDescription("retention.ms or retention.bytes: the limit that deletes it first.")
          String limit)
      implements PartitionEntry {}

  /**
   * One problem found with a group.
   *
   * @param type what is wrong
   * @param severity Critical, Warning or Info
   * @param partition the partition it concerns, when it concerns one
   * @param since when it began, when known
   * @param numbers the figures it is based on
   * @param message what is wrong, with its numbers
   * @param action what to do
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FindingStatus(
      @JsonPropertyDescription(
              "RecordsLost, LossAtRisk, StuckPartition, UnderProvisioned, SLOViolated,"
                  + " UnconsumedPartitions, UnfairDistribution, RebalanceInstability or"
                  + " OverProvisioned.")
          String type,
      @JsonPropertyDescription("Critical, Warning or Info.") String severity,
      @JsonPropertyDescription("The partition (topic-partition) it concerns, if one.")
          String partition,
      @JsonPropertyDescription("When it began (RFC 3339), when known.") String since,
      @JsonPropertyDescription(
              "The figures it is based on, by name: recordsLost, committedOffset, lag,"
                  + " lossInSeconds, consumers, neededConsumers, producedPerSecond, ...")
          Map<String, Number> numbers,
      @JsonPropertyDescription("What is wrong, with its numbers.") String message,
      @JsonPropertyDescription("What to do about it.") String action) {}

  /**
   * A member of a group.
   *
   * @param clientId the client id
   * @param host the client's host
   * @param partitions how many partitions it is assigned
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MemberStatus(
      @JsonPropertyDescription("Client id.") String clientId,
      @JsonPropertyDescription("Host the client connects from.") String host,
      @JsonPropertyDescription("Partitions assigned to it.") Integer partitions) {}

  /**
   * Lag in messages.
   *
   * @param p50 median partition lag
   * @param p95 95th percentile partition lag
   * @param max largest partition lag
   * @param total sum over partitions
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LagStatus(
      @JsonPropertyDescription("Median partition lag (nearest rank).") Long p50,
      @JsonPropertyDescription("95th percentile partition lag (nearest rank).") Long p95,
      @JsonPropertyDescription("Largest partition lag.") Long max,
      @JsonPropertyDescription("Lag summed over the partitions.") Long total) {}

  /**
   * Lag in time.
   *
   * @param p95 95th percentile partition lag in seconds
   * @param max largest partition lag in seconds
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LagSecondsStatus(
      @JsonPropertyDescription("95th percentile partition lag in seconds.") Double p95,
      @JsonPropertyDescription("Largest partition lag in seconds.") Double max) {}

  /**
   * A partition without progress.
   *
   * @param topic topic
   * @param partition partition number
   * @param since start of the period without progress
   * @param committedOffset the offset it is stuck at
   * @param lag lag in messages now
   * @param reason STALL, STOP or REWIND
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StuckPartitionStatus(
      @JsonPropertyDescription("Topic.") String topic,
      @JsonPropertyDescription("Partition number.") Integer partition,
      @JsonPropertyDescription("Start of the period without progress (RFC 3339).") String since,
      @JsonPropertyDescription("The committed offset the partition is stuck at.")
          Long committedOffset,
      @JsonPropertyDescription("Lag in messages now.") Long lag,
      @JsonPropertyDescription(
              "STALL: a member owns it but its committed offset does not move while the log"
                  + " grows; STOP: no member owns it and the log grows; REWIND: the committed"
                  + " offset moved backwards.")
          String reason)
      implements PartitionEntry {}

  /**
   * The managed coordinator broker and how to reach it. Names Secrets, never their contents.
   *
   * @param bootstrapServers the SASL_SSL address clients use
   * @param ready whether the broker is ready
   * @param securityProtocol what the bootstrap address speaks
   * @param saslMechanism the SASL mechanism the users' clients use
   * @param caSecret the Secret and key of the PEM CA certificates clients trust
   * @param plaintextBootstrapServers the unauthenticated address, when the spec asks for one
   * @param httpTokenSecret the Secret holding the bearer token of the broker's HTTP port
   * @param users the SCRAM users the operator created, each with its Secret
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CoordinatorStatus(
      @JsonPropertyDescription("Bootstrap address of the coordinator broker for clients.")
          String bootstrapServers,
      @JsonPropertyDescription("Whether the broker pod is ready.") Boolean ready,
      @JsonPropertyDescription("Security protocol of bootstrapServers: SASL_SSL.")
          String securityProtocol,
      @JsonPropertyDescription("SASL mechanism of the users: SCRAM-SHA-512.") String saslMechanism,
      @JsonPropertyDescription(
              "Secret key holding the PEM CA certificates that clients trust (ssl.truststore).")
          SecretKeyRef caSecret,
      @JsonPropertyDescription(
              "Address of the unauthenticated PLAINTEXT listener, when spec asks for it.")
          String plaintextBootstrapServers,
      @JsonPropertyDescription(
              "Secret (key token) holding the bearer token of the broker's HTTP port.")
          String httpTokenSecret,
      @JsonPropertyDescription(
              "SCRAM users the operator created; each Secret holds username, password and"
                  + " sasl.jaas.config.")
          List<CoordinatorUser> users) {

    /** The state before the operator knows anything of the broker's security. */
    public CoordinatorStatus(String bootstrapServers, Boolean ready) {
      this(bootstrapServers, ready, null, null, null, null, null, null);
    }

    /** The user named {@code name}, if the operator created it. */
    public java.util.Optional<CoordinatorUser> user(String name) {
      return users == null
          ? java.util.Optional.empty()
          : users.stream().filter(u -> u.name().equals(name)).findFirst();
    }
  }

  /**
   * A SCRAM user of the managed coordinator.
   *
   * @param name the user name
   * @param secretName the Secret holding its credentials
   * @param usedBy who the operator created it for: operator, MongoSink/name, LagMonitor/name or
   *     spec
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CoordinatorUser(
      @JsonPropertyDescription("User name.") String name,
      @JsonPropertyDescription("Secret with keys username, password and sasl.jaas.config.")
          String secretName,
      @JsonPropertyDescription(
              "Who the user is for: operator, MongoSink/<name>, LagMonitor/<name> or spec.")
          String usedBy) {}

  /**
   * The scaling state.
   *
   * @param target kind/name of the scaled workload
   * @param currentReplicas replicas of the workload when last read
   * @param desiredReplicas replicas the operator decided on
   * @param lastScaleTime when the operator last changed the replica count
   * @param message why
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AutoscaleStatus(
      @JsonPropertyDescription("Kind/name of the scaled workload.") String target,
      @JsonPropertyDescription("Replicas of the workload when last read.") Integer currentReplicas,
      @JsonPropertyDescription("Replicas the operator decided on.") Integer desiredReplicas,
      @JsonPropertyDescription("When the operator last changed the replica count (RFC 3339).")
          String lastScaleTime,
      @JsonPropertyDescription("Why the replica count is what it is.") String message) {}

  /** An entry about one partition: a stuck partition, an overrun or a loss at risk. */
  public interface PartitionEntry {
    String topic();

    Integer partition();
  }
}
