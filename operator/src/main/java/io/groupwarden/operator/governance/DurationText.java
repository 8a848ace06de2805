package io.groupwarden.operator.governance;

import java.time.Duration;

/** Durations written the way the CRs spell them: {@code 45s}, {@code 5m}, {@code 1h30m}. */
public final class DurationText {
  private DurationText() {}

  /** The duration rounded to whole seconds, largest units first, zero parts left out. */
  public static String of(Duration duration) {
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
