package io.groupwarden.operator.api;

import io.groupwarden.http.BearerToken;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.insight.InsightStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The operator's routes on a server of their own, on a free port of 127.0.0.1. */
final class TestServers {
  static final String TOKEN = "t0ken";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestServers() {}

  /** GET {@code path} from {@code server}, with the test token when {@code withToken}. */
  static HttpResponse<String> get(HttpServer server, String path, boolean withToken)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (withToken) {
      request.header("Authorization", "Bearer " + TOKEN);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

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
