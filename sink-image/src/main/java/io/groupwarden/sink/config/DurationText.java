package io.groupwarden.sink.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Kubernetes resources write them ({@code 500ms}, {@code 1s}, {@code 1m30s},
 * {@code 1.5h}), the form the MongoSink spec uses for {@code retryBackoff}.
 */
final class DurationText {
  private static final Pattern WHOLE = Pattern.compile("((\\d+(\\.\\d+)?)(ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private DurationText() {}

  /** The duration, or {@code null} when the text is not one. */
  static Duration parse(String text) {
    String trimmed = text.trim();
    if (!WHOLE.matcher(trimmed).matches()) {
      return null;
    }
    BigDecimal millis = BigDecimal.ZERO;
    Matcher part = PART.matcher(trimmed);
    while (part.find()) {
      BigDecimal amount = new BigDecimal(part.group(1));
      long unitMillis =
          switch (part.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
          };
      millis = millis.add(amount.multiply(BigDecimal.valueOf(unitMillis)));
    }
    return Duration.ofMillis(millis.longValue());
  }
}
