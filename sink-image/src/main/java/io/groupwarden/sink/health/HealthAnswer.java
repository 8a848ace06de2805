package io.groupwarden.sink.health;

/** The answer of a health endpoint, {@code UP} or {@code DOWN} in {@code status}. */
public interface HealthAnswer {
  String status();

  default boolean up() {
    return HealthState.UP.equals(status());
  }
}
