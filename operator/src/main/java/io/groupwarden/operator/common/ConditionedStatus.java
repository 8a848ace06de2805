package io.groupwarden.operator.common;

import java.util.List;
import java.util.Optional;

/** A resource status that carries conditions, so that one lookup serves every kind. */
public interface ConditionedStatus {
  List<Condition> conditions();

  /** The condition of {@code type}, if the status has one. */
  default Optional<Condition> condition(String type) {
    return Conditions.find(conditions(), type);
  }
}
