package io.groupwarden.operator.governance;

/**
 * A group's health at a glance: critical when it violates its SLO, has stuck partitions, lost
 * records to retention or is about to; warning when it is unfair, unstable, partly unconsumed or
 * short of consumers; healthy otherwise.
 */
public enum GroupHealth {
  HEALTHY,
  WARNING,
  CRITICAL;

  public static GroupHealth of(GroupEvaluation group) {
    if (!group.sloCompliant()
        || !group.stuckPartitions().isEmpty()
        || !group.overruns().isEmpty()
        || !group.lossRisks().isEmpty()) {
      return CRITICAL;
    }
    boolean warned = group.findings().stream().anyMatch(f -> f.severity() != Finding.Severity.INFO);
    if (!group.fair() || !group.rebalanceStable() || group.coverage() < 1.0 || warned) {
      return WARNING;
    }
    return HEALTHY;
  }

  /** The worse of two. */
  public GroupHealth worst(GroupHealth other) {
    return ordinal() >= other.ordinal() ? this : other;
  }
}
