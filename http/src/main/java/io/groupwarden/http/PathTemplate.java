package io.groupwarden.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments, {@code {name}} segments that capture one segment, and an
 * optional last {@code {name...}} segment that captures the rest of the path. Trailing slashes are
 * ignored, so {@code /groups/} and {@code /groups} are the same.
 */
final class PathTemplate {
  private final String text;
  private final List<String> segments;
  private final boolean capturesRest;

  PathTemplate(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("a path template starts with '/': " + text);
    }
    this.text = text;
    this.segments = split(text);
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.endsWith("...}") && i != segments.size() - 1) {
        throw new IllegalArgumentException("only the last segment may capture the rest: " + text);
      }
    }
    this.capturesRest = !segments.isEmpty() && segments.get(segments.size() - 1).endsWith("...}");
  }

  /** The captured parameters when {@code path} matches, else null. */
  Map<String, String> match(String path) {
    List<String> given = split(path);
    int fixed = capturesRest ? segments.size() - 1 : segments.size();
    if (capturesRest ? given.size() < fixed : given.size() != fixed) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < fixed; i++) {
      String expected = segments.get(i);
      String actual = given.get(i);
      if (isParam(expected)) {
        params.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return null;
      }
    }
    if (capturesRest) {
      String last = segments.get(fixed);
      params.put(
          last.substring(1, last.length() - 4),
          String.join("/", given.subList(fixed, given.size())));
    }
    return params;
  }

  /** How many literal segments the template has: the more, the more specific. */
  int literalSegments() {
    return (int) segments.stream().filter(s -> !isParam(s)).count();
  }

  private static boolean isParam(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }

  @Override
  public String toString() {
    return text;
  }
}
