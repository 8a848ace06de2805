package io.groupwarden.http;

/** One registered WebSocket endpoint. */
record SocketRoute(PathTemplate path, Access access, WebSocketRoute route) {}
