package io.groupwarden.sink.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The worker's HTTP endpoints: {@code /metrics} (Prometheus), {@code /health} (liveness) and {@code
 * /health/ready} (readiness). Three small GET handlers need no framework: the JDK's server does.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  /** A health answer: HTTP 200 when up, 503 otherwise, with a small JSON body. */
  public record Health(boolean up, String json) {}

  public HealthServer(
      int port, Supplier<String> metrics, Supplier<Health> liveness, Supplier<Health> readiness) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "sink-http");
              thread.setDaemon(true);
              return thread;
            }));
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
    server.createContext("/health", exchange -> health(exchange, liveness.get()));
    server.createContext("/health/ready", exchange -> health(exchange, readiness.get()));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  /** The port it listens on (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange exchange, Health health) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
      respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    respond(exchange, health.up() ? 200 : 503, "application/json", health.json());
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
