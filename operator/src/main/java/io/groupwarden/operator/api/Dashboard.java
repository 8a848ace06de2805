package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The page at {@code /}: static HTML that reads the insight API with the token the user gives it,
 * so it is served without one and carries no data itself.
 */
final class Dashboard {
  private final String html;

  Dashboard() {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from the operator's jar");
      }
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Response page() {
    return Response.html(html);
  }
}
