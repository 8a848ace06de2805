package io.groupwarden.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/** What an OpenAPI document says a server serves, for tests that hold it against the routes. */
public final class OpenApiRoutes {
  private OpenApiRoutes() {}

  /** Every operation of {@code document} as {@code METHOD /path}, sorted. */
  public static SortedSet<String> documented(JsonNode document) {
    SortedSet<String> routes = new TreeSet<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    return routes;
  }
}
