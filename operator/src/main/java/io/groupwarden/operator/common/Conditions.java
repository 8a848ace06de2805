package io.groupwarden.operator.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a status's condition list from the previous one: a condition keeps its {@code
 * lastTransitionTime} while its status stays the same, so the time says when it last changed, not
 * when it was last evaluated.
 */
public final class Conditions {
  /** The condition every resource of the operator has: whether its last cycle succeeded. */
  public static final String READY = "Ready";

  private final List<Condition> previous;
  private final long generation;
  private final Instant now;
  private final List<Condition> result = new ArrayList<>();

  public Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  /**
   * The conditions after a cycle that failed: Ready=False with the reason; the caller adds what
   * else it keeps from {@code previous}.
   */
  public static Conditions notReady(
      List<Condition> previous, long generation, Instant now, String reason, String message) {
    return new Conditions(previous, generation, now).isFalse(READY, reason, message);
  }

  /** Sets a condition to True. */
  public Conditions isTrue(String type, String reason, String message) {
    return set(type, Condition.TRUE, reason, message);
  }

  /** Sets a condition to False. */
  public Conditions isFalse(String type, String reason, String message) {
    return set(type, Condition.FALSE, reason, message);
  }

  /** Sets a condition to Unknown. */
  public Conditions unknown(String type, String reason, String message) {
    return set(type, Condition.UNKNOWN, reason, message);
  }

  /** Sets a condition to True or False. */
  public Conditions set(String type, boolean value, String reason, String message) {
    return set(type, value ? Condition.TRUE : Condition.FALSE, reason, message);
  }

  private Conditions set(String type, String status, String reason, String message) {
    result.removeIf(c -> c.type().equals(type));
    String since =
        find(previous, type)
            .filter(old -> status.equals(old.status()))
            .map(Condition::lastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    result.add(new Condition(type, status, reason, message, since, generation));
    return this;
  }

  /** Keeps a condition as it is. */
  public Conditions copy(Condition condition) {
    result.removeIf(c -> c.type().equals(condition.type()));
    result.add(condition);
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(result);
  }

  /** The condition of {@code type}, if the list has one. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }
}
