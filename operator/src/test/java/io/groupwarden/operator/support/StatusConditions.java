package io.groupwarden.operator.support;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.ConditionedStatus;

/** What tests assert on: a condition the status must have. */
public final class StatusConditions {
  private StatusConditions() {}

  /** The condition of {@code type}; fails when the status has none. */
  public static Condition condition(ConditionedStatus status, String type) {
    return status
        .condition(type)
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + status));
  }
}
