package io.groupwarden.http;

/**
 * A WebSocket endpoint. {@link #open} runs before the upgrade, so a bad request is still answered
 * with a plain HTTP error ({@link HttpError}); the feed it returns starts once the connection is
 * upgraded.
 */
@FunctionalInterface
public interface WebSocketRoute {
  WebSocketFeed open(Request request) throws Exception;
}
