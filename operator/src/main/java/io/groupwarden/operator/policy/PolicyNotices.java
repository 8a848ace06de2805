package io.groupwarden.operator.policy;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.governance.CompactDuration;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.PartitionEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The events a status change is worth: transitions only, found by comparing the status before with
 * the status after — so a condition that persists is reported once, not once per cycle, and an
 * operator restart does not repeat what the stored status already says. The status holds each
 * problem as its hysteresis settled it (raised when it has held for its window, cleared when it has
 * been gone for the recovery time), so a problem that comes and goes between samples makes one
 * Event when it is raised and one when it is cleared.
 */
final class PolicyNotices {
  static final String SLO_VIOLATION = "SLOViolation";
  static final String SLO_RECOVERED = "SLORecovered";
  static final String STUCK_PARTITION = "StuckPartition";
  static final String STUCK_RECOVERED = "StuckPartitionRecovered";
  static final String REBALANCE_INSTABILITY = "RebalanceInstability";
  static final String REBALANCE_STABILIZED = "RebalanceStabilized";
  static final String UNFAIR_DISTRIBUTION = "UnfairDistribution";
  static final String DISTRIBUTION_RECOVERED = "DistributionRecovered";
  static final String SOURCE_UNREACHABLE = "SourceUnreachable";
  static final String SOURCE_RECOVERED = "SourceRecovered";
  static final String GROUP_NOT_FOUND = "GroupNotFound";
  static final String GROUP_FOUND = "GroupFound";
  static final String RETENTION_OVERRUN = "RetentionOverrun";
  static final String RETENTION_OVERRUN_RECOVERED = "RetentionOverrunRecovered";
  static final String RETENTION_AT_RISK = "RetentionAtRisk";
  static final String RETENTION_RISK_RECOVERED = "RetentionRiskRecovered";

  private PolicyNotices() {}

  static List<Notice> between(
      ConsumerGroupPolicyStatus before, ConsumerGroupPolicyStatus after, PolicySettings settings) {
    List<Notice> notices = new ArrayList<>();
    reachability(before, after, notices);
    if (!evaluated(after)) {
      return notices;
    }
    missingGroups(before, after, notices);
    Map<String, GroupStatus> previous = new HashMap<>();
    if (before != null && before.groups() != null) {
      before.groups().forEach(g -> previous.put(g.groupId(), g));
    }
    for (GroupStatus now : after.groups() == null ? List.<GroupStatus>of() : after.groups()) {
      GroupStatus then = previous.get(now.groupId());
      slo(then, now, settings, notices);
      stuck(then, now, notices);
      overruns(then, now, notices);
      risks(then, now, notices);
      rebalance(then, now, settings, notices);
      fairness(then, now, settings, notices);
    }
    return notices;
  }

  private static void reachability(
      ConsumerGroupPolicyStatus before, ConsumerGroupPolicyStatus after, List<Notice> notices) {
    boolean wasUnreachable = readyReason(before).equals(PolicyStatusWriter.KAFKA_UNREACHABLE);
    boolean isUnreachable = readyReason(after).equals(PolicyStatusWriter.KAFKA_UNREACHABLE);
    if (isUnreachable && !wasUnreachable) {
      notices.add(Notice.warning(SOURCE_UNREACHABLE, readyMessage(after)));
    } else if (wasUnreachable && !isUnreachable && evaluated(after)) {
      notices.add(Notice.normal(SOURCE_RECOVERED, "the Kafka cluster is reachable again"));
    }
  }

  private static void missingGroups(
      ConsumerGroupPolicyStatus before, ConsumerGroupPolicyStatus after, List<Notice> notices) {
    perKey(
        byGroup(missing(before)),
        byGroup(missing(after)),
        (group, unused) ->
            Notice.warning(
                GROUP_NOT_FOUND, "consumer group " + group + " does not exist on the cluster"),
        group -> Notice.normal(GROUP_FOUND, "consumer group " + group + " exists again"),
        notices);
  }

  private static void slo(
      GroupStatus then, GroupStatus now, PolicySettings settings, List<Notice> notices) {
    boolean wasCompliant = then == null || compliant(then, settings);
    boolean isCompliant = compliant(now, settings);
    transition(
        wasCompliant,
        isCompliant,
        () ->
            Notice.warning(
                SLO_VIOLATION,
                "group "
                    + now.groupId()
                    + ": "
                    + PolicyStatusWriter.percent(now.sloCompliance())
                    + " of partitions meet the p95 lag bound of "
                    + bound(settings)
                    + ", below the target of "
                    + PolicyStatusWriter.percent(settings.complianceTarget())
                    + ". "
                    + now.recommendation()),
        () ->
            Notice.normal(
                SLO_RECOVERED,
                "group "
                    + now.groupId()
                    + " meets the lag objective again ("
                    + PolicyStatusWriter.percent(now.sloCompliance())
                    + ")"),
        notices);
  }

  private static void stuck(GroupStatus then, GroupStatus now, List<Notice> notices) {
    perPartition(
        then == null ? null : then.stuckPartitions(),
        now.stuckPartitions(),
        (partition, s) ->
            Notice.warning(
                STUCK_PARTITION,
                about(now, partition)
                    + " is stuck ("
                    + s.reason()
                    + ") at offset "
                    + s.committedOffset()
                    + " with lag "
                    + s.lag()
                    + " since "
                    + s.since()),
        partition ->
            Notice.normal(STUCK_RECOVERED, about(now, partition) + " makes progress again"),
        notices);
  }

  private static void overruns(GroupStatus then, GroupStatus now, List<Notice> notices) {
    perPartition(
        then == null ? null : then.overrunPartitions(),
        now.overrunPartitions(),
        (partition, o) ->
            Notice.warning(
                RETENTION_OVERRUN,
                "group "
                    + now.groupId()
                    + ": retention deleted "
                    + o.recordsLost()
                    + " records of partition "
                    + partition
                    + " before they were consumed (committed offset "
                    + o.committedOffset()
                    + ", log start "
                    + o.logStartOffset()
                    + "). "
                    + now.recommendation()),
        partition ->
            Notice.normal(
                RETENTION_OVERRUN_RECOVERED,
                about(now, partition) + " is consumed from within its log again"),
        notices);
  }

  private static void risks(GroupStatus then, GroupStatus now, List<Notice> notices) {
    perPartition(
        then == null ? null : then.lossAtRisk(),
        now.lossAtRisk(),
        (partition, r) ->
            Notice.warning(
                RETENTION_AT_RISK,
                "group "
                    + now.groupId()
                    + ": retention ("
                    + r.limit()
                    + ") may delete unconsumed records of partition "
                    + partition
                    + " in "
                    + r.lossIn()
                    + " at the present rates. "
                    + now.recommendation()),
        partition ->
            Notice.normal(
                RETENTION_RISK_RECOVERED,
                about(now, partition) + " is no longer at risk of losing records to retention"),
        notices);
  }

  /** {@code group g: partition orders-3}, how a notice about one partition begins. */
  private static String about(GroupStatus group, String partition) {
    return "group " + group.groupId() + ": partition " + partition;
  }

  /** A warning when a check stops passing, a normal notice when it passes again. */
  private static void transition(
      boolean passed,
      boolean passes,
      Supplier<Notice> failing,
      Supplier<Notice> recovered,
      List<Notice> notices) {
    if (passed && !passes) {
      notices.add(failing.get());
    } else if (!passed && passes) {
      notices.add(recovered.get());
    }
  }

  /**
   * The notices of a problem held per key (a partition, a group): a warning for each key that has
   * it and did not, a normal notice for each key that had it and no longer does.
   */
  private static <T> void perKey(
      Map<String, T> was,
      Map<String, T> is,
      BiFunction<String, T, Notice> raised,
      Function<String, Notice> cleared,
      List<Notice> notices) {
    is.forEach(
        (key, entry) -> {
          if (!was.containsKey(key)) {
            notices.add(raised.apply(key, entry));
          }
        });
    was.keySet().stream().filter(key -> !is.containsKey(key)).map(cleared).forEach(notices::add);
  }

  /** The groups in the order the status lists them. */
  private static Map<String, String> byGroup(List<String> groups) {
    Map<String, String> map = new LinkedHashMap<>();
    groups.forEach(group -> map.put(group, group));
    return map;
  }

  /** {@link #perKey} for entries about partitions, keyed {@code topic-partition}. */
  private static <T extends PartitionEntry> void perPartition(
      List<T> was,
      List<T> is,
      BiFunction<String, T, Notice> raised,
      Function<String, Notice> cleared,
      List<Notice> notices) {
    perKey(byPartition(was), byPartition(is), raised, cleared, notices);
  }

  private static <T extends PartitionEntry> Map<String, T> byPartition(List<T> entries) {
    Map<String, T> map = new HashMap<>();
    if (entries != null) {
      entries.forEach(entry -> map.put(entry.topic() + "-" + entry.partition(), entry));
    }
    return map;
  }

  private static void rebalance(
      GroupStatus then, GroupStatus now, PolicySettings settings, List<Notice> notices) {
    boolean wasStable = then == null || then.rebalanceScore() >= settings.minRebalanceScore();
    boolean isStable = now.rebalanceScore() >= settings.minRebalanceScore();
    transition(
        wasStable,
        isStable,
        () ->
            Notice.warning(
                REBALANCE_INSTABILITY,
                "group "
                    + now.groupId()
                    + ": rebalance score "
                    + now.rebalanceScore()
                    + " ("
                    + now.rebalances()
                    + " rebalances in the window) is below "
                    + settings.minRebalanceScore()
                    + ". "
                    + now.recommendation()),
        () ->
            Notice.normal(
                REBALANCE_STABILIZED,
                "group " + now.groupId() + ": rebalance score is back to " + now.rebalanceScore()),
        notices);
  }

  private static void fairness(
      GroupStatus then, GroupStatus now, PolicySettings settings, List<Notice> notices) {
    boolean wasFair = then == null || then.fairnessGini() <= settings.maxGini();
    boolean isFair = now.fairnessGini() <= settings.maxGini();
    transition(
        wasFair,
        isFair,
        () ->
            Notice.warning(
                UNFAIR_DISTRIBUTION,
                "group "
                    + now.groupId()
                    + ": partitions per member have a Gini coefficient of "
                    + now.fairnessGini()
                    + ", above "
                    + settings.maxGini()),
        () ->
            Notice.normal(
                DISTRIBUTION_RECOVERED,
                "group "
                    + now.groupId()
                    + ": partitions are spread evenly again (Gini "
                    + now.fairnessGini()
                    + ")"),
        notices);
  }

  private static boolean compliant(GroupStatus group, PolicySettings settings) {
    return group.sloCompliance() == null || group.sloCompliance() >= settings.complianceTarget();
  }

  private static String bound(PolicySettings settings) {
    return settings.maxLagP95Messages() != null
        ? settings.maxLagP95Messages() + " messages"
        : CompactDuration.format(settings.maxLagP95());
  }

  private static boolean evaluated(ConsumerGroupPolicyStatus status) {
    String reason = readyReason(status);
    return reason.equals("Evaluated") || reason.equals("GroupNotFound");
  }

  private static List<String> missing(ConsumerGroupPolicyStatus status) {
    return status == null || status.missingGroups() == null ? List.of() : status.missingGroups();
  }

  private static String readyReason(ConsumerGroupPolicyStatus status) {
    return ready(status).map(Condition::reason).orElse("");
  }

  private static String readyMessage(ConsumerGroupPolicyStatus status) {
    return ready(status).map(Condition::message).orElse("");
  }

  private static java.util.Optional<Condition> ready(ConsumerGroupPolicyStatus status) {
    return status == null ? java.util.Optional.empty() : status.condition(PolicyStatusWriter.READY);
  }
}
