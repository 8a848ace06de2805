package io.groupwarden.operator.policy;

import static io.groupwarden.operator.common.ConditionedStatus.conditionsOf;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.Conditions;
import io.groupwarden.operator.common.KafkaFailures;
import io.groupwarden.operator.governance.CatchUp;
import io.groupwarden.operator.governance.CompactDuration;
import io.groupwarden.operator.governance.Finding;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupHealth;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.RetentionRisk;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.AutoscaleStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.FindingStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Health;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.LagSecondsStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.LagStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.LossRiskStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.MemberStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.OverrunStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.StuckPartitionStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Summary;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds a policy's status from an evaluation, or from a failure: a pure function. */
final class PolicyStatusWriter {
  static final String READY = Conditions.READY;
  static final String SLO_COMPLIANT = "SLOCompliant";
  static final String FAIRLY_DISTRIBUTED = "FairlyDistributed";
  static final String REBALANCE_STABLE = "RebalanceStable";
  static final String NO_STUCK_PARTITIONS = "NoStuckPartitions";
  static final String NO_DATA_LOSS = "NoDataLoss";
  static final List<String> GOVERNANCE_CONDITIONS =
      List.of(
          SLO_COMPLIANT, FAIRLY_DISTRIBUTED, REBALANCE_STABLE, NO_STUCK_PARTITIONS, NO_DATA_LOSS);
  static final String KAFKA_UNREACHABLE = KafkaFailures.UNREACHABLE;

  /** Groups kept in status; more would strain the object size limit of the API server. */
  static final int MAX_GROUPS = 200;

  /** Entries kept per list inside a group's status. */
  static final int MAX_LIST = 50;

  /** Groups with more members list none in status (the insight API lists them all). */
  static final int MAX_MEMBERS_LISTED = 20;

  private PolicyStatusWriter() {}

  /**
   * The status after a successful evaluation.
   *
   * @param previous the status before, or null
   * @param generation the spec generation evaluated
   * @param settings the policy's settings
   * @param groups the evaluations
   * @param samples each group's newest sample, by group id (for its members)
   * @param missingGroups named groups the cluster does not know
   * @param coordinator the managed coordinator, or null
   * @param autoscale the scaling state, or null
   * @param now the evaluation time
   */
  static ConsumerGroupPolicyStatus evaluated(
      ConsumerGroupPolicyStatus previous,
      long generation,
      PolicySettings settings,
      List<GroupEvaluation> groups,
      Map<String, GroupSample> samples,
      List<String> missingGroups,
      CoordinatorStatus coordinator,
      AutoscaleStatus autoscale,
      Instant now) {
    Conditions conditions = new Conditions(conditionsOf(previous), generation, now);
    if (missingGroups.isEmpty()) {
      conditions.isTrue(
          READY, "Evaluated", groups.size() + " group(s) evaluated at " + timestamp(now));
    } else {
      conditions.isFalse(
          READY,
          "GroupNotFound",
          "the cluster has no consumer group "
              + String.join(", ", missingGroups)
              + " (named in spec.groups); "
              + groups.size()
              + " other group(s) evaluated");
    }
    governanceConditions(conditions, settings, groups);

    List<GroupEvaluation> ordered = new ArrayList<>(groups);
    ordered.sort(
        Comparator.comparingInt(PolicyStatusWriter::severity)
            .reversed()
            .thenComparing(
                Comparator.comparingLong((GroupEvaluation g) -> g.lag().total()).reversed())
            .thenComparing(GroupEvaluation::groupId));
    List<GroupStatus> statuses =
        ordered.stream()
            .limit(MAX_GROUPS)
            .map(g -> groupStatus(g, samples.get(g.groupId())))
            .toList();
    return new ConsumerGroupPolicyStatus(
        generation,
        conditions.build(),
        statuses,
        missingGroups.isEmpty() ? null : List.copyOf(missingGroups),
        summary(groups, missingGroups, false),
        coordinator,
        autoscale,
        timestamp(now));
  }

  /**
   * The status when the policy could not be evaluated: Ready=False with the reason, the last known
   * groups kept for reference, and health Critical when the cluster is unreachable.
   */
  static ConsumerGroupPolicyStatus failed(
      ConsumerGroupPolicyStatus previous,
      long generation,
      String reason,
      String message,
      CoordinatorStatus coordinator,
      Instant now) {
    Conditions conditions =
        Conditions.notReady(conditionsOf(previous), generation, now, reason, message);
    for (String type : GOVERNANCE_CONDITIONS) {
      conditions.unknown(type, reason, "not evaluated: " + message);
    }
    boolean unreachable = KAFKA_UNREACHABLE.equals(reason);
    Summary summary =
        previous != null && previous.summary() != null
            ? withHealth(
                previous.summary(), unreachable ? Health.Critical : previous.summary().health())
            : new Summary(
                0, 0L, null, null, 0, unreachable ? Health.Critical : Health.Warning, null, null);
    return new ConsumerGroupPolicyStatus(
        generation,
        conditions.build(),
        previous == null ? null : previous.groups(),
        previous == null ? null : previous.missingGroups(),
        summary,
        coordinator != null ? coordinator : previous == null ? null : previous.coordinator(),
        previous == null ? null : previous.autoscale(),
        previous == null ? null : previous.lastEvaluationTime());
  }

  /** The status with Ready=False for a problem found after the groups were evaluated. */
  static ConsumerGroupPolicyStatus withReadyProblem(
      ConsumerGroupPolicyStatus status,
      io.groupwarden.operator.common.SpecProblem problem,
      long generation,
      Instant now) {
    Conditions conditions = new Conditions(status.conditions(), generation, now);
    for (Condition condition : status.conditions()) {
      if (condition.type().equals(READY)) {
        conditions.isFalse(READY, problem.reason(), problem.getMessage());
      } else {
        conditions.copy(condition);
      }
    }
    return new ConsumerGroupPolicyStatus(
        status.observedGeneration(),
        conditions.build(),
        status.groups(),
        status.missingGroups(),
        status.summary(),
        status.coordinator(),
        status.autoscale(),
        status.lastEvaluationTime());
  }

  private static void governanceConditions(
      Conditions conditions, PolicySettings settings, List<GroupEvaluation> groups) {
    if (groups.isEmpty()) {
      for (String type : GOVERNANCE_CONDITIONS) {
        conditions.unknown(type, "NoGroups", "no consumer group to evaluate");
      }
      return;
    }
    List<GroupEvaluation> violating = groups.stream().filter(g -> !g.sloCompliant()).toList();
    conditions.set(
        SLO_COMPLIANT,
        violating.isEmpty(),
        violating.isEmpty() ? "WithinObjective" : "ObjectiveViolated",
        violating.isEmpty()
            ? "every group meets the lag objective ("
                + percent(settings.complianceTarget())
                + " of partitions within the p95 bound)"
            : list(violating, g -> g.groupId() + " " + percent(g.sloCompliance()))
                + " below the target of "
                + percent(settings.complianceTarget()));
    List<GroupEvaluation> unfair = groups.stream().filter(g -> !g.fair()).toList();
    conditions.set(
        FAIRLY_DISTRIBUTED,
        unfair.isEmpty(),
        unfair.isEmpty() ? "Fair" : "Unfair",
        unfair.isEmpty()
            ? "partitions are spread within a Gini of " + settings.maxGini()
            : list(unfair, g -> g.groupId() + " Gini " + round(g.fairnessGini(), 2))
                + " above "
                + settings.maxGini());
    List<GroupEvaluation> unstable = groups.stream().filter(g -> !g.rebalanceStable()).toList();
    conditions.set(
        REBALANCE_STABLE,
        unstable.isEmpty(),
        unstable.isEmpty() ? "Stable" : "Unstable",
        unstable.isEmpty()
            ? "rebalance scores are at least " + settings.minRebalanceScore()
            : list(unstable, g -> g.groupId() + " score " + g.rebalanceScore())
                + " below "
                + settings.minRebalanceScore());
    List<GroupEvaluation> stuck =
        groups.stream().filter(g -> !g.stuckPartitions().isEmpty()).toList();
    conditions.set(
        NO_STUCK_PARTITIONS,
        stuck.isEmpty(),
        stuck.isEmpty() ? "NoneStuck" : "PartitionsStuck",
        stuck.isEmpty()
            ? "every partition makes progress"
            : list(
                stuck,
                g ->
                    g.groupId()
                        + " ("
                        + g.stuckPartitions().stream()
                            .map(s -> s.ref().toString())
                            .collect(Collectors.joining(", "))
                        + ")"));
    dataLossCondition(conditions, groups);
  }

  private static void dataLossCondition(Conditions conditions, List<GroupEvaluation> groups) {
    List<GroupEvaluation> lost = groups.stream().filter(g -> !g.overruns().isEmpty()).toList();
    List<GroupEvaluation> atRisk = groups.stream().filter(g -> !g.lossRisks().isEmpty()).toList();
    if (!lost.isEmpty()) {
      conditions.isFalse(
          NO_DATA_LOSS,
          "RecordsLost",
          "retention deleted records before they were consumed: "
              + list(
                  lost,
                  g ->
                      g.groupId()
                          + " ("
                          + g.overruns().stream()
                              .map(o -> o.ref() + " " + o.recordsLost() + " records")
                              .collect(Collectors.joining(", "))
                          + ")"));
    } else if (!atRisk.isEmpty()) {
      conditions.isFalse(
          NO_DATA_LOSS,
          "LossAtRisk",
          "retention may delete records before they are consumed: "
              + list(
                  atRisk,
                  g ->
                      g.groupId()
                          + " ("
                          + g.lossRisks().stream()
                              .map(r -> r.ref() + " in " + lossIn(r.risk().secondsUntilLoss()))
                              .collect(Collectors.joining(", "))
                          + ")"));
    } else {
      conditions.isTrue(
          NO_DATA_LOSS,
          "NoneLost",
          "no partition lost records to retention or is at risk of it within the SLO window");
    }
  }

  static String lossIn(double seconds) {
    return CompactDuration.format(Duration.ofMillis(Math.round(Math.max(0, seconds) * 1000)));
  }

  static GroupStatus groupStatus(GroupEvaluation g) {
    return groupStatus(g, null);
  }

  static GroupStatus groupStatus(GroupEvaluation g, GroupSample sample) {
    List<StuckPartitionStatus> stuck =
        g.stuckPartitions().stream().limit(MAX_LIST).map(PolicyStatusWriter::stuck).toList();
    List<String> uncommitted =
        g.partitions().stream()
            .filter(p -> p.lagFrom() == LagFrom.LOG_START)
            .limit(MAX_LIST)
            .map(p -> p.ref().toString())
            .toList();
    List<OverrunStatus> overruns =
        g.overruns().stream().limit(MAX_LIST).map(PolicyStatusWriter::overrun).toList();
    List<LossRiskStatus> risks =
        g.lossRisks().stream().limit(MAX_LIST).map(PolicyStatusWriter::risk).toList();
    List<FindingStatus> findings =
        g.findings().stream().limit(MAX_LIST).map(PolicyStatusWriter::finding).toList();
    return new GroupStatus(
        g.groupId(),
        g.state(),
        g.members(),
        g.assignor().isEmpty() ? null : g.assignor(),
        g.topics(),
        new LagStatus(g.lag().p50(), g.lag().p95(), g.lag().max(), g.lag().total()),
        new LagSecondsStatus(round(g.lagSeconds().p95(), 3), round(g.lagSeconds().max(), 3)),
        round(g.sloCompliance(), 4),
        round(g.fairnessGini(), 4),
        g.rebalanceScore(),
        g.rebalances(),
        stuck.isEmpty() ? null : stuck,
        round(g.coverage(), 4),
        uncommitted.isEmpty() ? null : uncommitted,
        g.recommendation().message(),
        g.desiredReplicas(),
        g.recordsLost(),
        overruns.isEmpty() ? null : overruns,
        risks.isEmpty() ? null : risks,
        g.catchUp().text(),
        round(g.catchUp().seconds(), 1),
        findings.isEmpty() ? null : findings,
        memberDetails(sample));
  }

  private static OverrunStatus overrun(RetentionOverrun o) {
    return new OverrunStatus(
        o.ref().topic(),
        o.ref().partition(),
        o.committedOffset(),
        o.logStartOffset(),
        o.recordsLost(),
        timestamp(o.since()));
  }

  private static LossRiskStatus risk(LossRisk r) {
    return new LossRiskStatus(
        r.ref().topic(),
        r.ref().partition(),
        lossIn(r.risk().secondsUntilLoss()),
        round(r.risk().secondsUntilLoss(), 1),
        r.lag(),
        r.risk().basis() == RetentionRisk.Basis.AGE ? "retention.ms" : "retention.bytes");
  }

  private static FindingStatus finding(Finding f) {
    return new FindingStatus(
        f.type().label(),
        switch (f.severity()) {
          case CRITICAL -> "Critical";
          case WARNING -> "Warning";
          case INFO -> "Info";
        },
        f.partition() == null ? null : f.partition().toString(),
        f.since() == null ? null : timestamp(f.since()),
        f.numbers().isEmpty() ? null : f.numbers(),
        f.problem(),
        f.advice());
  }

  /** The members of a group small enough to list them, sorted by client id then host. */
  static List<MemberStatus> memberDetails(GroupSample sample) {
    if (sample == null
        || sample.members().isEmpty()
        || sample.members().size() > MAX_MEMBERS_LISTED) {
      return null;
    }
    return sample.members().stream()
        .map(m -> new MemberStatus(m.clientId(), m.host(), m.assignment().size()))
        .sorted(
            Comparator.comparing(
                    MemberStatus::clientId, Comparator.nullsLast(Comparator.<String>naturalOrder()))
                .thenComparing(
                    MemberStatus::host, Comparator.nullsLast(Comparator.<String>naturalOrder())))
        .toList();
  }

  private static StuckPartitionStatus stuck(StuckPartition s) {
    return new StuckPartitionStatus(
        s.ref().topic(),
        s.ref().partition(),
        timestamp(s.since()),
        s.committedOffset(),
        s.lag(),
        s.reason().name());
  }

  static Summary summary(
      List<GroupEvaluation> groups, List<String> missingGroups, boolean unreachable) {
    long totalLag = groups.stream().mapToLong(g -> g.lag().total()).sum();
    Double worstCompliance =
        groups.stream()
            .map(GroupEvaluation::sloCompliance)
            .filter(c -> c != null)
            .min(Double::compare)
            .map(c -> round(c, 4))
            .orElse(null);
    Double worstGini =
        groups.stream()
            .map(GroupEvaluation::fairnessGini)
            .max(Double::compare)
            .map(c -> round(c, 4))
            .orElse(null);
    int stuck = groups.stream().mapToInt(g -> g.stuckPartitions().size()).sum();
    int severity = groups.stream().mapToInt(PolicyStatusWriter::severity).max().orElse(0);
    if (unreachable) {
      severity = 2;
    } else if (!missingGroups.isEmpty()) {
      severity = Math.max(severity, 1);
    }
    Health health =
        severity == 2 ? Health.Critical : severity == 1 ? Health.Warning : Health.Healthy;
    long recordsLost = groups.stream().mapToLong(GroupEvaluation::recordsLost).sum();
    String catchUp =
        groups.isEmpty()
            ? null
            : CatchUp.ofGroup(groups.stream().map(GroupEvaluation::catchUp).toList()).text();
    return new Summary(
        groups.size(), totalLag, worstCompliance, worstGini, stuck, health, recordsLost, catchUp);
  }

  /** 2 = critical, 1 = warning, 0 = healthy: {@link GroupHealth} as a number to compare. */
  static int severity(GroupEvaluation g) {
    return GroupHealth.of(g).ordinal();
  }

  private static Summary withHealth(Summary s, Health health) {
    return new Summary(
        s.groups(),
        s.totalLag(),
        s.worstCompliance(),
        s.worstGini(),
        s.stuck(),
        health,
        s.recordsLost(),
        s.catchUp());
  }

  private static <T> String list(List<T> items, java.util.function.Function<T, String> text) {
    String shown = items.stream().limit(10).map(text).collect(Collectors.joining(", "));
    return items.size() > 10 ? shown + " and " + (items.size() - 10) + " more" : shown;
  }

  static String percent(Double fraction) {
    if (fraction == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  static Double round(Double value, int digits) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
