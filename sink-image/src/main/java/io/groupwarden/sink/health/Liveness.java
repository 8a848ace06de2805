package io.groupwarden.sink.health;

/**
 * The answer of {@code /health}: {@code status} is {@code UP} or {@code DOWN}; {@code worker} says
 * what the loop is doing ({@code running}, {@code stopping}, {@code stuck}, {@code failed}).
 */
public record Liveness(String status, String worker) implements HealthAnswer {}
