package io.groupwarden.coordinator.http;

import io.groupwarden.http.HttpError;
import java.math.BigDecimal;

/**
 * Numbers from JSON bodies, checked against their range before use. Fields are read as {@link
 * Number} rather than {@code int}, so an out-of-range value such as 4294967301 is refused with a
 * message naming the field instead of being cut to 32 bits or reported as malformed JSON.
 */
final class BodyNumbers {
  private BodyNumbers() {}

  /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
  static long whole(Number value, String field, long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    BigDecimal exact = exact(value, field);
    if (exact.stripTrailingZeros().scale() > 0) {
      throw HttpError.badRequest(field + " must be a whole number, not " + exact.toPlainString());
    }
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0
        || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw HttpError.badRequest(
          field + " must be from " + min + " to " + max + ", not " + exact.toPlainString());
    }
    return exact.longValueExact();
  }

  /** A number from {@code min} to {@code max}, or {@code fallback} when absent. */
  static double decimal(Number value, String field, double fallback, double min, double max) {
    if (value == null) {
      return fallback;
    }
    BigDecimal exact = exact(value, field);
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0
        || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw HttpError.badRequest(
          field
              + " must be from "
              + BigDecimal.valueOf(min).stripTrailingZeros().toPlainString()
              + " to "
              + BigDecimal.valueOf(max).stripTrailingZeros().toPlainString()
              + ", not "
              + exact.stripTrailingZeros().toPlainString());
    }
    return exact.doubleValue();
  }

  private static BigDecimal exact(Number value, String field) {
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      throw HttpError.badRequest(field + " must be a finite number");
    }
    if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      throw HttpError.badRequest(field + " must be a finite number");
    }
    try {
      return new BigDecimal(value.toString());
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(field + " must be a number");
    }
  }
}
