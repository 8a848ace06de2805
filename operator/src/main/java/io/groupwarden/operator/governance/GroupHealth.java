package io.groupwarden.operator.governance;

/**
 * A group's health at a glance: critical when it violates its SLO or has stuck partitions, warning
 * when it is unfair, unstable or partly unconsumed, healthy otherwise.
 */
public enum GroupHealth {
  HEALTHY,
  WARNING,
  CRITICAL;

  public static GroupHealth of(GroupEvaluation group) {
    if (!group.sloCompliant() || !group.stuckPartitions().isEmpty()) {
      return CRITICAL;
    }
    if (!group.fair() || !group.rebalanceStable() || group.coverage() < 1.0) {
      return WARNING;
    }
    return HEALTHY;
  }

  /** The worse of two. */
  public GroupHealth worst(GroupHealth other) {
    return ordinal() >= other.ordinal() ? this : other;
  }
}
