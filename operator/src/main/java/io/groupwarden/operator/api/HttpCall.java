package io.groupwarden.operator.api;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the routes see it.
 *
 * @param method the method, upper case
 * @param path the decoded path without the query
 * @param query the query parameters
 * @param authorization the Authorization header, or null
 */
public record HttpCall(
    String method, String path, Map<String, List<String>> query, String authorization) {

  /** The first value of a query parameter, or {@code fallback}. */
  public String param(String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }
}
