package io.groupwarden.coordinator.config;

import io.groupwarden.coordinator.net.Listener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Checks made after parsing, each failure one line naming the flag (and variable). */
public record Checks(CommandLine line, Map<String, String> env) {
  public void port(String flag, int value) {
    if (value < 0 || value > 65535) {
      throw fail(flag, value, "must be a port (0-65535)");
    }
  }

  public void atLeast(String flag, long value, long min) {
    if (value < min) {
      throw fail(flag, value, "must be at least " + min);
    }
  }

  public void positive(String flag, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw fail(flag, "0s", "must be longer than 0s");
    }
  }

  /** The listeners of a flag's value, or null when it was not given. */
  public List<Listener> listeners(String flag, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Listener.parseList(text);
    } catch (IllegalArgumentException e) {
      throw fail(flag, "'" + text + "'", e.getMessage());
    }
  }

  public ConfigException fail(String flag, Object value, String requirement) {
    return CommandLineSupport.invalid(line, flag, value, requirement, env);
  }
}
