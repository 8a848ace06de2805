package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Files the operator's jar serves as they are: the dashboard's page, script and style, uPlot, and
 * Swagger UI. Each is read once, when the routes are declared; a missing one stops the start.
 */
final class StaticAssets {
  static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  static final String SWAGGER_UI = "/META-INF/resources/webjars/swagger-ui/5.34.1/";

  /**
   * The dashboard's page may load only what this server serves and talk only to it: no inline
   * script, no other origin.
   */
  static final String DASHBOARD_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'";

  private StaticAssets() {}

  /** The response serving a resource of the jar, with its content type. */
  static Response of(String resource, String contentType) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the operator's jar");
      }
      return Response.bytes(200, contentType, in.readAllBytes())
          .withHeader("Cache-Control", "no-cache");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
