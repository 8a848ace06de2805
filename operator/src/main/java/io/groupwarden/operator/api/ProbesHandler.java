package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import java.nio.charset.StandardCharsets;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}: what the kubelet and Prometheus read,
 * open to them without a token.
 */
record ProbesHandler(Probes probes) {
  /** The content type of Prometheus's text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  Response health() {
    return answer(probes.liveness().get());
  }

  Response readiness() {
    return answer(probes.readiness().get());
  }

  private static Response answer(Probes.Verdict verdict) {
    return Response.text(verdict.ok() ? 200 : 503, verdict.text() + "\n");
  }

  Response metrics() {
    return Response.bytes(
        200, PROMETHEUS_TEXT, probes.metrics().get().getBytes(StandardCharsets.UTF_8));
  }
}
