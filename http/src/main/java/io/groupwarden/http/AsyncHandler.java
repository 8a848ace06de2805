package io.groupwarden.http;

import java.util.concurrent.CompletionStage;

/**
 * Answers a request later: for work that waits on something else (a consumer poll, a broker round
 * trip) without holding a thread. It is called on a worker thread; the stage may complete on any
 * thread, exceptionally with {@link HttpError} for a request the client got wrong.
 */
@FunctionalInterface
public interface AsyncHandler {
  CompletionStage<Response> handle(Request request) throws Exception;
}
