package io.groupwarden.operator.api;

/** Answers the requests under one path prefix. */
@FunctionalInterface
public interface HttpRoute {
  HttpReply handle(HttpCall call) throws Exception;
}
