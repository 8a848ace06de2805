package io.groupwarden.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The routes of a server. A path matches the route with the most literal segments among those whose
 * template matches it, so {@code /groups/summary} wins over {@code /groups/{group}}.
 */
final class Routes {
  private final List<Route> routes = new ArrayList<>();
  private final List<SocketRoute> sockets = new ArrayList<>();

  void add(Route route) {
    routes.add(route);
  }

  void add(SocketRoute route) {
    sockets.add(route);
  }

  /** Every route as {@code METHOD /path/template}, WebSockets as {@code GET}, in declared order. */
  List<String> describe() {
    List<String> all = new ArrayList<>();
    routes.forEach(r -> all.add(r.method() + " " + r.path()));
    sockets.forEach(s -> all.add("GET " + s.path()));
    return all;
  }

  /** What a request's method and path select. */
  sealed interface Match permits Found, Socket, WrongMethod, NotFound {}

  record Found(Route route, Map<String, String> params) implements Match {}

  record Socket(SocketRoute route, Map<String, String> params) implements Match {}

  record WrongMethod(List<String> allowed) implements Match {}

  record NotFound() implements Match {}

  Match match(String method, String path, boolean upgrade) {
    if (upgrade) {
      SocketRoute best = null;
      Map<String, String> bestParams = null;
      for (SocketRoute socket : sockets) {
        Map<String, String> params = socket.path().match(path);
        if (params != null
            && (best == null || socket.path().literalSegments() > best.path().literalSegments())) {
          best = socket;
          bestParams = params;
        }
      }
      if (best != null) {
        return new Socket(best, bestParams);
      }
    }
    String lookup = method.equals("HEAD") ? "GET" : method;
    Route best = null;
    Map<String, String> bestParams = null;
    List<String> allowed = new ArrayList<>();
    for (Route route : routes) {
      Map<String, String> params = route.path().match(path);
      if (params == null) {
        continue;
      }
      if (!route.method().equals(lookup)) {
        allowed.add(route.method());
        continue;
      }
      if (best == null || route.path().literalSegments() > best.path().literalSegments()) {
        best = route;
        bestParams = params;
      }
    }
    if (best != null) {
      return new Found(best, bestParams);
    }
    return allowed.isEmpty() ? new NotFound() : new WrongMethod(allowed);
  }
}
