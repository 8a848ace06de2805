package io.groupwarden.coordinator.config;

/** A setting the broker cannot start with; the message is one line naming the flag. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
