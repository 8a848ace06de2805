package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem found with a group, with its numbers and what to do about it. A group's findings are
 * listed most severe first, in the order of {@link Type}.
 *
 * @param type what is wrong
 * @param severity how much it matters
 * @param partition the partition it concerns, or null when it concerns the group
 * @param since when it began, when known
 * @param numbers the figures it is based on, by name, in the order they are best read
 * @param problem what is wrong, as a clause with its numbers
 * @param action the kind of action
 * @param advice what to do, as a sentence without its full stop
 * @param desiredReplicas the consumer count to run, when the action is to scale
 */
public record Finding(
    Type type,
    Severity severity,
    PartitionRef partition,
    Instant since,
    Map<String, Number> numbers,
    String problem,
    Action action,
    String advice,
    Integer desiredReplicas) {

  public Finding {
    numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
  }

  /** A finding about the group as a whole: no one partition, no time it started. */
  static Finding ofGroup(
      Type type,
      Severity severity,
      Map<String, Number> numbers,
      String problem,
      Action action,
      String advice,
      Integer desiredReplicas) {
    return new Finding(
        type, severity, null, null, numbers, problem, action, advice, desiredReplicas);
  }

  /** The kinds of finding, most severe first: the order findings are listed in. */
  public enum Type {
    /** Retention deleted records the group had not consumed. */
    RECORDS_LOST("RecordsLost"),
    /** Retention will delete the oldest unconsumed record within the SLO window. */
    LOSS_AT_RISK("LossAtRisk"),
    /** A partition makes no progress (STALL, STOP or REWIND). */
    STUCK_PARTITION("StuckPartition"),
    /** The group consumes too slowly for what arrives, or partitions wait for a busy consumer. */
    UNDER_PROVISIONED("UnderProvisioned"),
    /** The lag objective is missed for a reason none of the others explains. */
    SLO_VIOLATED("SLOViolated"),
    /** Partitions with lag that no member consumes. */
    UNCONSUMED_PARTITIONS("UnconsumedPartitions"),
    /** Partitions are spread unevenly over the members. */
    UNFAIR_DISTRIBUTION("UnfairDistribution"),
    /** The group rebalances too often. */
    REBALANCE_INSTABILITY("RebalanceInstability"),
    /** The group has more consumers than it needs. */
    OVER_PROVISIONED("OverProvisioned");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /** The name users see, in the CamelCase of Kubernetes reasons. */
    public String label() {
      return label;
    }
  }

  /** How much a finding matters. */
  public enum Severity {
    CRITICAL,
    WARNING,
    INFO
  }

  /** The finding as one sentence: the advice, then why. */
  public String sentence() {
    return advice + ": " + problem + ".";
  }
}
