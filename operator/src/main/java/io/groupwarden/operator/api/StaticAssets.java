package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files the operator's jar serves as they are: the dashboard's page, script and style, uPlot, and
 * Swagger UI. Each is read once, when the routes are declared; a missing one stops the start.
 */
final class StaticAssets {
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String SWAGGER_UI = "/META-INF/resources/webjars/swagger-ui/5.34.1/";
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  /**
   * The dashboard's page may load only what this server serves and talk only to it: no inline
   * script, no other origin.
   */
  static final String DASHBOARD_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'";

  private StaticAssets() {}

  /** Every file served, by the path it is served at: the dashboard and the API's docs. */
  static Map<String, Response> byPath() {
    Map<String, Response> files = new LinkedHashMap<>();
    files.put(
        "/",
        of("dashboard.html", Response.HTML)
            .withHeader("Content-Security-Policy", DASHBOARD_POLICY));
    files.put("/assets/dashboard.js", of("dashboard.js", JS));
    files.put("/assets/dashboard.css", of("dashboard.css", CSS));
    files.put("/assets/uPlot.iife.min.js", of(UPLOT + "uPlot.iife.min.js", JS));
    files.put("/assets/uPlot.min.css", of(UPLOT + "uPlot.min.css", CSS));
    files.put("/api/docs", of("docs.html", Response.HTML));
    files.put("/api/docs/docs.js", of("docs.js", JS));
    files.put("/api/docs/swagger-ui.css", of(SWAGGER_UI + "swagger-ui.css", CSS));
    files.put("/api/docs/swagger-ui-bundle.js", of(SWAGGER_UI + "swagger-ui-bundle.js", JS));
    return files;
  }

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
