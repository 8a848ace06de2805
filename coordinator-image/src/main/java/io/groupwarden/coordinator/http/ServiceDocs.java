package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /} (what this service is, as the consume service it replaces described itself) and
 * {@code GET /docs} (its OpenAPI 3 document, a resource of this jar).
 */
final class ServiceDocs {
  static final String OPENAPI_RESOURCE = "openapi.json";

  /** The answer to {@code GET /}. */
  record About(String message, String version, Map<String, String> endpoints) {}

  private final byte[] openApi;
  private final String title;
  private final String version;
  private final Supplier<List<String>> routes;

  /**
   * @param routes the server's routes ({@code "GET /topics"}), read when {@code GET /} is asked so
   *     that the listing names what is served
   */
  ServiceDocs(ObjectMapper json, Supplier<List<String>> routes) {
    this.routes = routes;
    try (InputStream in = ServiceDocs.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + OPENAPI_RESOURCE);
      }
      openApi = in.readAllBytes();
      JsonNode info = json.readTree(openApi).path("info");
      title = info.path("title").asText();
      version = info.path("version").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Each resource under its name ({@code consumer_groups} for {@code /consumer-groups}) with the
   * first of its routes, in the order they were added.
   */
  static Map<String, String> endpoints(List<String> routes) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String route : routes) {
      String path = route.substring(route.indexOf(' ') + 1);
      String[] segments = path.split("/");
      if (segments.length > 1) {
        byName.putIfAbsent(segments[1].replace('-', '_'), path);
      }
    }
    return byName;
  }

  Response about(Request request) {
    return Response.json(new About(title, version, endpoints(routes.get())));
  }

  Response openApi(Request request) {
    return Response.bytes(200, Response.JSON, openApi);
  }
}
