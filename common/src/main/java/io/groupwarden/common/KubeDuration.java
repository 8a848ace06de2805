package io.groupwarden.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of groupwarden: one or more number-unit pairs with units {@code ms},
 * {@code s}, {@code m}, {@code h}, {@code d}, such as {@code 500ms}, {@code 30s}, {@code 1h30m},
 * {@code 7d} or {@code 1.5s}. The CRDs validate duration fields with {@link #PATTERN}; the
 * operator, the coordinator broker and the sink worker all parse with {@link #parse}, so a value a
 * resource accepts is accepted by every process the operator configures with it.
 */
public final class KubeDuration {
  /** The schema pattern of a duration field. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h|d)");
  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private KubeDuration() {}

  /**
   * Parses a duration to millisecond precision.
   *
   * @throws IllegalArgumentException when the text is not a duration, or too long to represent
   */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 500ms, 30s, 10m, 1h30m or 7d");
    }
    Matcher part = PART.matcher(text);
    BigDecimal millis = BigDecimal.ZERO;
    while (part.find()) {
      BigDecimal amount = new BigDecimal(part.group(1));
      millis = millis.add(amount.multiply(BigDecimal.valueOf(unitMillis(part.group(2)))));
    }
    try {
      return Duration.ofMillis(millis.toBigInteger().longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
  }

  /** Parses {@code text}, or returns {@code fallback} when it is null. */
  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text);
  }

  /**
   * The normalised text of a duration, largest units first and zero parts left out ({@code 1h30m},
   * {@code 1s500ms}, {@code 0s}); {@link #parse} reads it back to the same millisecond count.
   *
   * @throws IllegalArgumentException for a negative duration, which the grammar cannot express
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 0) {
      throw new IllegalArgumentException("a duration cannot be negative: " + duration);
    }
    if (millis == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    millis = append(text, millis, DAY, "d");
    millis = append(text, millis, HOUR, "h");
    millis = append(text, millis, MINUTE, "m");
    millis = append(text, millis, SECOND, "s");
    append(text, millis, 1, "ms");
    return text.toString();
  }

  private static long append(StringBuilder text, long millis, long unit, String name) {
    long amount = millis / unit;
    if (amount > 0) {
      text.append(amount).append(name);
    }
    return millis % unit;
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1;
      case "s" -> SECOND;
      case "m" -> MINUTE;
      case "h" -> HOUR;
      default -> DAY;
    };
  }
}
