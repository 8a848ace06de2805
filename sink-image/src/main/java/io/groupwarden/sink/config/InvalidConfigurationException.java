package io.groupwarden.sink.config;

import java.util.List;

/** The environment does not describe a runnable worker; {@link #problems()} says what to fix. */
public final class InvalidConfigurationException extends RuntimeException {
  private final List<String> problems;

  InvalidConfigurationException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
