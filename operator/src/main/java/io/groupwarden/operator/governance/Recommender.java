package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.Finding.Severity;
import io.groupwarden.operator.governance.Finding.Type;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names every problem of a group, most severe first ({@link Type}'s order: records lost, records at
 * risk, stuck partitions, too few consumers, a missed SLO, unconsumed partitions, an uneven
 * assignment, instability, too many consumers), each with its numbers and the action that answers
 * it; and sums them up in one sentence: the first finding in full, then the other actions. A
 * problem that outranks another never hides it: a group with a stuck partition that is also too
 * small is told both.
 */
public final class Recommender {
  private static final int PARTITIONS_NAMED = 3;

  private Recommender() {}

  /** The recommendation for the situation. */
  public static Recommendation recommend(Situation situation) {
    List<Finding> findings = new ArrayList<>();
    LossFindings loss = new LossFindings(situation);
    for (RetentionOverrun overrun : situation.overruns()) {
      findings.add(loss.lost(overrun));
    }
    for (LossRisk risk : situation.lossRisks()) {
      findings.add(loss.atRisk(risk));
    }
    situation.stuck().stream()
        .sorted(
            Comparator.comparing((Detection f) -> f.partition().since())
                .thenComparing(f -> f.partition().ref()))
        .forEach(stuck -> findings.add(inspect(stuck, situation.now())));
    UnderProvisioned under = situation.underProvisioned();
    if (under != null) {
      findings.add(scaleOut(under, situation.sloViolated()));
    } else if (situation.sloViolated() && findings.isEmpty()) {
      findings.add(sloViolated(situation));
    }
    if (!situation.unconsumed().isEmpty() && situation.unconsumedLag() > 0) {
      findings.add(assign(situation));
    }
    if (!situation.fair() && canBeEvener(situation.latest())) {
      findings.add(rebalanceAssignment(situation));
    }
    if (!situation.rebalanceStable()) {
      findings.add(stabilise(situation));
    }
    if (under == null) {
      Finding scaleIn = scaleIn(situation);
      if (scaleIn != null) {
        findings.add(scaleIn);
      }
    }
    return summarise(findings);
  }

  /** The sentence for status: the first finding, then what else to do, kind by kind. */
  private static Recommendation summarise(List<Finding> all) {
    if (all.isEmpty()) {
      return new Recommendation(Action.NONE, "No action needed.", null, List.of());
    }
    Finding first = all.get(0);
    Map<Type, List<Finding>> others = new LinkedHashMap<>();
    for (Finding finding : all.subList(1, all.size())) {
      others.computeIfAbsent(finding.type(), type -> new ArrayList<>()).add(finding);
    }
    String message = first.sentence();
    if (!others.isEmpty()) {
      message +=
          " Also: "
              + others.entrySet().stream()
                  .map(entry -> alsoClause(entry.getKey(), entry.getValue()))
                  .collect(Collectors.joining("; "))
              + ".";
    }
    return new Recommendation(first.action(), message, first.desiredReplicas(), all);
  }

  private static String alsoClause(Type type, List<Finding> findings) {
    if (findings.size() == 1) {
      return decapitalise(findings.get(0).advice());
    }
    int n = findings.size();
    return switch (type) {
      case RECORDS_LOST -> n + " more partitions lost records to retention";
      case LOSS_AT_RISK -> n + " more partitions are at risk of losing records";
      case STUCK_PARTITION -> "inspect " + n + " more stuck partitions";
      default -> decapitalise(findings.get(0).advice());
    };
  }

  private static Finding inspect(Detection worst, Instant now) {
    StuckPartition stuck = worst.partition();
    String quiet = CompactDuration.format(Duration.between(stuck.since(), now));
    String why =
        switch (stuck.reason()) {
          case STALL ->
              String.format(
                  Locale.ROOT,
                  "its committed offset has not moved for %s while %d messages arrived",
                  quiet,
                  worst.arrived());
          case STOP ->
              String.format(
                  Locale.ROOT,
                  "no member consumes it and its committed offset has not moved for %s while %d"
                      + " messages arrived",
                  quiet,
                  worst.arrived());
          case REWIND ->
              String.format(
                  Locale.ROOT,
                  "its committed offset moved back from %d %s ago",
                  worst.rewoundFrom(),
                  quiet);
        };
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("committedOffset", stuck.committedOffset());
    numbers.put("lag", stuck.lag());
    if (stuck.reason() == GroupEvaluation.StuckReason.REWIND) {
      numbers.put("rewoundFrom", worst.rewoundFrom());
    } else {
      numbers.put("arrivedMessages", worst.arrived());
    }
    return new Finding(
        Type.STUCK_PARTITION,
        Severity.CRITICAL,
        stuck.ref(),
        stuck.since(),
        numbers,
        why,
        Action.INSPECT_STUCK_PARTITION,
        String.format(
            Locale.ROOT, "Inspect partition %s at offset %d", stuck.ref(), stuck.committedOffset()),
        null);
  }

  private static Finding scaleOut(UnderProvisioned under, boolean sloViolated) {
    Estimate estimate = under.estimate();
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("consumers", under.members());
    if (estimate != null) {
      numbers.put("neededConsumers", estimate.replicas());
    }
    numbers.put("producedPerSecond", round(under.catchUp().producedPerSecond()));
    if (!Double.isNaN(under.catchUp().consumedPerSecond())) {
      numbers.put("consumedPerSecond", round(under.catchUp().consumedPerSecond()));
    }
    List<String> because = new ArrayList<>();
    if (estimate != null) {
      because.add(estimate.because());
    }
    if (!under.waiting().isEmpty()) {
      numbers.put("waitingPartitions", under.waiting().size());
      because.add(
          String.format(
              Locale.ROOT,
              "%s %s while %s its other partitions in turn",
              named(under.waiting()),
              under.waiting().size() == 1 ? "waits" : "wait",
              under.members() == 1 ? "the one consumer serves" : "their consumers serve"));
    }
    boolean scale = estimate != null && estimate.replicas() > under.members();
    String advice =
        scale
            ? "Scale out to " + consumers(estimate.replicas())
            : "Speed up the consumers or add partitions and consumers";
    return Finding.ofGroup(
        Type.UNDER_PROVISIONED,
        sloViolated ? Severity.CRITICAL : Severity.WARNING,
        numbers,
        String.join("; ", because),
        Action.SCALE_OUT,
        advice,
        scale ? estimate.replicas() : null);
  }

  private static Finding sloViolated(Situation situation) {
    Map<String, Number> numbers = new LinkedHashMap<>();
    if (situation.sloCompliance() != null) {
      numbers.put("sloCompliance", round(situation.sloCompliance()));
    }
    numbers.put("complianceTarget", situation.complianceTarget());
    return Finding.ofGroup(
        Type.SLO_VIOLATED,
        Severity.CRITICAL,
        numbers,
        String.format(
            Locale.ROOT,
            "%s of partitions meet the p95 lag bound, below the target of %s, and the measured"
                + " rates do not say that more consumers would help",
            percent(situation.sloCompliance()),
            percent(situation.complianceTarget())),
        Action.CHECK_CONSUMERS,
        "Check what slows the consumers down",
        null);
  }

  private static Finding assign(Situation situation) {
    int members = situation.latest().members().size();
    List<PartitionRef> unconsumed = situation.unconsumed();
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("unconsumedPartitions", unconsumed.size());
    numbers.put("lag", situation.unconsumedLag());
    String advice;
    String problem;
    if (members == 0) {
      advice = "Start consumers for the group";
      problem =
          String.format(
              Locale.ROOT,
              "none of its %d partitions is consumed and they hold %d messages of lag",
              situation.latest().partitions().size(),
              situation.unconsumedLag());
    } else {
      advice =
          String.format(
              Locale.ROOT,
              "Assign the unconsumed %s %s",
              unconsumed.size() == 1 ? "partition" : "partitions",
              named(unconsumed));
      problem =
          String.format(
              Locale.ROOT,
              "no member consumes %s and %d messages of lag wait there",
              unconsumed.size() == 1 ? "it" : "them",
              situation.unconsumedLag());
    }
    return Finding.ofGroup(
        Type.UNCONSUMED_PARTITIONS,
        Severity.WARNING,
        numbers,
        problem,
        Action.ASSIGN_UNCONSUMED_PARTITIONS,
        advice,
        null);
  }

  private static Finding stabilise(Situation situation) {
    List<MemberSample> members = situation.latest().members();
    boolean allStatic =
        !members.isEmpty() && members.stream().allMatch(m -> m.instanceId() != null);
    boolean cooperative =
        situation.latest().assignor().toLowerCase(Locale.ROOT).contains("cooperative");
    String count =
        String.format(
            Locale.ROOT,
            "%d %s in the last %s",
            situation.rebalances(),
            situation.rebalances() == 1 ? "rebalance" : "rebalances",
            CompactDuration.format(situation.rebalanceWindow()));
    String advice;
    String problem = count;
    if (allStatic) {
      advice = "Find out why members leave and rejoin";
      problem = count + " although all are static";
    } else if (cooperative) {
      advice = "Use static membership (group.instance.id)";
    } else {
      advice = "Use the cooperative-sticky assignor or static membership (group.instance.id)";
    }
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("rebalances", situation.rebalances());
    numbers.put("windowSeconds", situation.rebalanceWindow().toSeconds());
    return Finding.ofGroup(
        Type.REBALANCE_INSTABILITY,
        Severity.WARNING,
        numbers,
        problem,
        Action.STABILISE_MEMBERSHIP,
        advice,
        null);
  }

  /**
   * Whether some member holds two partitions more than another. An assignment whose counts differ
   * by at most one is as even as the partition count allows (3 partitions over 2 members, or idle
   * members when there are more members than partitions), whatever its Gini coefficient says.
   */
  private static boolean canBeEvener(GroupSample latest) {
    int[] range = assignmentRange(latest);
    return range[1] - range[0] > 1;
  }

  private static int[] assignmentRange(GroupSample latest) {
    int fewest = Integer.MAX_VALUE;
    int most = 0;
    for (MemberSample member : latest.members()) {
      fewest = Math.min(fewest, member.assignment().size());
      most = Math.max(most, member.assignment().size());
    }
    return new int[] {fewest, most};
  }

  private static Finding rebalanceAssignment(Situation situation) {
    int[] range = assignmentRange(situation.latest());
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("gini", round(situation.gini()));
    numbers.put("maxGini", situation.maxGini());
    numbers.put("fewestPartitions", range[0]);
    numbers.put("mostPartitions", range[1]);
    return Finding.ofGroup(
        Type.UNFAIR_DISTRIBUTION,
        Severity.WARNING,
        numbers,
        String.format(
            Locale.ROOT,
            "members hold between %d and %d partitions (Gini %.2f, above %.2f)",
            range[0],
            range[1],
            situation.gini(),
            situation.maxGini()),
        Action.REBALANCE_ASSIGNMENT,
        "Rebalance the assignment",
        null);
  }

  private static Finding scaleIn(Situation situation) {
    int members = situation.latest().members().size();
    int partitions = situation.latest().partitions().size();
    Estimate autoscale = situation.autoscaleEstimate();
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("consumers", members);
    if (autoscale != null && autoscale.replicas() < members) {
      numbers.put("neededConsumers", autoscale.replicas());
      return Finding.ofGroup(
          Type.OVER_PROVISIONED,
          Severity.INFO,
          numbers,
          autoscale.because(),
          Action.SCALE_IN,
          "Scale in to " + consumers(autoscale.replicas()),
          autoscale.replicas());
    }
    if (autoscale == null && partitions > 0 && members > partitions) {
      numbers.put("neededConsumers", partitions);
      return Finding.ofGroup(
          Type.OVER_PROVISIONED,
          Severity.INFO,
          numbers,
          String.format(
              Locale.ROOT,
              "%d members share %d partitions, so %d are idle",
              members,
              partitions,
              members - partitions),
          Action.SCALE_IN,
          "Scale in to " + consumers(partitions),
          partitions);
    }
    return null;
  }

  static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private static String named(List<PartitionRef> partitions) {
    String named =
        partitions.stream()
            .limit(PARTITIONS_NAMED)
            .map(PartitionRef::toString)
            .collect(Collectors.joining(", "));
    if (partitions.size() > PARTITIONS_NAMED) {
      named += " and " + (partitions.size() - PARTITIONS_NAMED) + " more";
    }
    return named;
  }

  static String consumers(int count) {
    return count + (count == 1 ? " consumer" : " consumers");
  }

  private static String decapitalise(String text) {
    return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }

  private static String percent(Double fraction) {
    return fraction == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
