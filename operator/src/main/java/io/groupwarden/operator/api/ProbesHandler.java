package io.groupwarden.operator.api;

import io.groupwarden.http.Response;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}: what the kubelet and Prometheus read,
 * open to them without a token.
 */
record ProbesHandler(Probes probes) {
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
    return Response.prometheus(probes.metrics().get());
  }
}
