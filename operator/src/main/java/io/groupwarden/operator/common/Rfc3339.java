package io.groupwarden.operator.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How times are written into status: RFC 3339 in UTC, to the second, as kubectl shows them. */
public final class Rfc3339 {
  private Rfc3339() {}

  public static String seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
