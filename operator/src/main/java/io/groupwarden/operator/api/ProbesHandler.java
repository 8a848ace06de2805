package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}: what the kubelet and Prometheus read,
 * open to them without a token.
 */
final class ProbesHandler {
  /** The content type of Prometheus's text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final BooleanSupplier ready;
  private final Supplier<String> metrics;

  /**
   * @param ready whether the reconcilers have started and their event sources are healthy
   * @param metrics the current Prometheus scrape
   */
  ProbesHandler(BooleanSupplier ready, Supplier<String> metrics) {
    this.ready = ready;
    this.metrics = metrics;
  }

  Response health() {
    return Response.text(200, "ok\n");
  }

  Response readiness() {
    return ready.getAsBoolean() ? Response.text(200, "ready\n") : Response.text(503, "not ready\n");
  }

  Response metrics() {
    return Response.bytes(200, PROMETHEUS_TEXT, metrics.get().getBytes(StandardCharsets.UTF_8));
  }
}
