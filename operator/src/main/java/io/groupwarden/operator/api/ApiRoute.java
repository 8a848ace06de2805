package io.groupwarden.operator.api;

import io.groupwarden.http.Access;
import java.util.List;

/**
 * One route of the insight API as the OpenAPI document describes it.
 *
 * @param method GET (a WebSocket route is described as the GET that upgrades)
 * @param path the path template, with {@code {name}} segments
 * @param access who may call it
 * @param summary what it answers
 * @param answer the record its JSON answer is, or null for a WebSocket
 * @param query its query parameters
 * @param websocket whether it upgrades to a WebSocket
 */
record ApiRoute(
    String method,
    String path,
    Access access,
    String summary,
    Class<?> answer,
    List<Param> query,
    boolean websocket) {

  /** A query parameter. */
  record Param(String name, String description) {}

  static ApiRoute get(String path, String summary, Class<?> answer, Param... query) {
    return new ApiRoute("GET", path, Access.TOKEN, summary, answer, List.of(query), false);
  }

  static ApiRoute socket(String path, String summary, Param... query) {
    return new ApiRoute("GET", path, Access.TOKEN, summary, null, List.of(query), true);
  }

  static Param param(String name, String description) {
    return new Param(name, description);
  }
}
