package io.groupwarden.sink.http;

import io.groupwarden.http.Access;
import io.groupwarden.http.HttpServer;
import io.groupwarden.http.Response;
import io.groupwarden.sink.health.HealthAnswer;
import io.groupwarden.sink.health.Liveness;
import io.groupwarden.sink.health.Readiness;
import java.util.function.Supplier;

/**
 * The worker's endpoints on the shared HTTP layer: {@code /metrics} (Prometheus text), {@code
 * /health} (liveness) and {@code /health/ready} (readiness). A health answer is its record as JSON,
 * with 200 when up and 503 when not, which is all a Kubernetes probe reads.
 */
public final class SinkHttp {
  /** Scrapes and probes are small and rare: one handler thread, a short queue. */
  private static final int THREADS = 1;

  private static final int QUEUED = 16;

  private SinkHttp() {}

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static HttpServer start(
      String host,
      int port,
      Supplier<String> metrics,
      Supplier<Liveness> liveness,
      Supplier<Readiness> readiness)
      throws InterruptedException {
    return HttpServer.builder("sink")
        .bind(host, port)
        .workers(THREADS, QUEUED)
        .get("/metrics", Access.OPEN, request -> Response.prometheus(metrics.get()))
        .get("/health", Access.OPEN, request -> health(liveness.get()))
        .get("/health/ready", Access.OPEN, request -> health(readiness.get()))
        .start();
  }

  private static Response health(HealthAnswer answer) {
    return Response.json(answer.up() ? 200 : 503, answer);
  }
}
