package io.groupwarden.sink.config;

import java.util.Objects;

/**
 * A credential read from the environment. Its {@code toString} never shows the value, so a config
 * record that holds one can be logged whole.
 */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
