package io.groupwarden.operator.common;

import java.util.List;
import java.util.Optional;

/** A resource status that carries conditions, so that one lookup serves every kind. */
public interface ConditionedStatus {
  List<Condition> conditions();

  /** The conditions of {@code status}; none when there is no status yet or it has none. */
  static List<Condition> conditionsOf(ConditionedStatus status) {
    return status == null || status.conditions() == null ? List.of() : status.conditions();
  }

  /** The condition of {@code type}, if the status has one. */
  default Optional<Condition> condition(String type) {
    return Conditions.find(conditions(), type);
  }
}
