package io.groupwarden.operator.api;

/**
 * Opens a live feed for a WebSocket request. Throws {@link IllegalArgumentException} for a bad
 * request (answered 400) or {@link java.util.NoSuchElementException} for an unknown subject (404),
 * before the connection is upgraded.
 */
@FunctionalInterface
public interface LiveRoute {
  LiveFeed open(HttpCall call);
}
