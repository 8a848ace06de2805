package io.groupwarden.operator.api;

import io.groupwarden.http.BearerToken;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.insight.InsightStore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The operator's routes on a server of their own, on a free port of 127.0.0.1. */
final class TestServers {
  static final String TOKEN = "t0ken";

  private TestServers() {}

  static HttpServer start(InsightStore store) throws InterruptedException {
    return start(store, new BearerToken(TOKEN), () -> true, () -> "");
  }

  static HttpServer start(
      InsightStore store, BearerToken token, BooleanSupplier ready, Supplier<String> metrics)
      throws InterruptedException {
    return OperatorRoutes.declare(
            HttpServer.builder("operator-test").bind("127.0.0.1", 0).token(token),
            store,
            new Probes(
                () -> Probes.Verdict.up("ok"),
                () ->
                    ready.getAsBoolean()
                        ? Probes.Verdict.up("ready")
                        : Probes.Verdict.down("not ready"),
                metrics))
        .start();
  }
}
