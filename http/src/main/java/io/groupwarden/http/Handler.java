package io.groupwarden.http;

/**
 * Answers a request. It runs on the server's worker threads, never on a network thread, so it may
 * read state that takes a moment; throw {@link HttpError} for a request the client got wrong.
 */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
