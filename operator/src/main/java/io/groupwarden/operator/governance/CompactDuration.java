package io.groupwarden.operator.governance;

import java.time.Duration;

/**
 * Formats durations for people reading a status, an event or a recommendation: rounded to whole
 * seconds and written compactly, largest units first ({@code 45s}, {@code 5m}, {@code 1h30m}).
 * Hours are the largest unit, so a day reads {@code 24h}. Every text it writes is also a valid
 * duration of the CRDs.
 */
public final class CompactDuration {
  private CompactDuration() {}

  /** The duration rounded to whole seconds, largest units first, zero parts left out. */
  public static String format(Duration duration) {
    long seconds = Math.max(0, Math.round(duration.toMillis() / 1000.0));
    if (seconds == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    append(text, seconds / 3600, "h");
    append(text, seconds % 3600 / 60, "m");
    append(text, seconds % 60, "s");
    return text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }
}
