package io.groupwarden.operator.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;

/**
 * Durations as resources spell them: one or more number-unit pairs with units ms, s, m, h, d, e.g.
 * {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code 7d}, {@code 1.5s}.
 */
public final class KubeDuration {
  /** The schema pattern of a duration field. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$";

  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h|d)");

  private KubeDuration() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException when the text is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || !text.matches(PATTERN)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 30s, 10m, 1h30m or 7d");
    }
    Matcher matcher = PART.matcher(text);
    BigDecimal millis = BigDecimal.ZERO;
    while (matcher.find()) {
      BigDecimal amount = new BigDecimal(matcher.group(1));
      long unit =
          switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
          };
      millis = millis.add(amount.multiply(BigDecimal.valueOf(unit)));
    }
    return Duration.ofMillis(millis.longValue());
  }

  /** Parses {@code text}, or returns {@code fallback} when it is null. */
  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text);
  }
}
