package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /} (what this service is, as the consume service it replaces described itself) and
 * {@code GET /docs} (its OpenAPI 3 document, a resource of this jar).
 */
final class ServiceDocs {
  static final String OPENAPI_RESOURCE = "openapi.json";

  /** The answer to {@code GET /}. */
  record About(String message, String version, Map<String, String> endpoints) {}

  private final byte[] openApi;
  private final About about;

  ServiceDocs(ObjectMapper json) {
    try (InputStream in = ServiceDocs.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + OPENAPI_RESOURCE);
      }
      openApi = in.readAllBytes();
      JsonNode document = json.readTree(openApi);
      Map<String, String> endpoints = new LinkedHashMap<>();
      endpoints.put("health", "/health");
      endpoints.put("consume", "/consume");
      endpoints.put("produce", "/produce");
      endpoints.put("topics", "/topics");
      endpoints.put("messages", "/messages/{topic}");
      endpoints.put("consumer_groups", "/consumer-groups");
      endpoints.put("metrics", "/metrics");
      endpoints.put("docs", "/docs");
      about =
          new About(
              document.path("info").path("title").asText(),
              document.path("info").path("version").asText(),
              java.util.Collections.unmodifiableMap(endpoints));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Response about(Request request) {
    return Response.json(about);
  }

  Response openApi(Request request) {
    return Response.bytes(200, Response.JSON, openApi);
  }
}
