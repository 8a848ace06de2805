package io.groupwarden.operator.events;

/**
 * An event to record: its type ({@code Normal} or {@code Warning}), a CamelCase reason and a
 * human-readable message.
 */
public record Notice(String type, String reason, String message) {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  public static Notice normal(String reason, String message) {
    return new Notice(NORMAL, reason, message);
  }

  public static Notice warning(String reason, String message) {
    return new Notice(WARNING, reason, message);
  }
}
