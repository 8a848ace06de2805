package io.groupwarden.operator.common;

/**
 * Something about a resource that stops it from being reconciled until a person fixes it: an
 * invalid field, a missing Secret, a bad reference. It becomes a {@code Ready=False} condition with
 * {@link #reason()} and a message naming the field or object.
 */
public final class SpecProblem extends RuntimeException {
  private final String reason;

  public SpecProblem(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** One CamelCase word, e.g. InvalidSpec, SecretNotFound. */
  public String reason() {
    return reason;
  }

  public static SpecProblem invalid(String field, String problem) {
    return new SpecProblem("InvalidSpec", field + ": " + problem);
  }
}
