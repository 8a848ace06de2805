package io.groupwarden.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.http.BearerToken;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.insight.InsightStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may call what on the operator's port, and what the open endpoints answer. */
class OperatorRoutesTest {
  private static final List<String> GUARDED =
      List.of(
          "/api/v1/consumers/groups",
          "/api/v1/consumers/groups/billing",
          "/api/v1/consumers/groups/billing/health",
          "/api/v1/consumers/topics/orders/consumers",
          "/api/v1/consumers/topics/orders/detail",
          "/api/v1/events/consumer-lag",
          "/api/v1/events/streams",
          "/api/v1/events/health");

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean ready = new AtomicBoolean();
  private HttpServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private void start(BearerToken token) throws InterruptedException {
    server =
        TestServers.start(new InsightStore(), token, ready::get, () -> "# TYPE up gauge\nup 1.0\n");
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessAndMetricsAreOpen() throws Exception {
    start(new BearerToken(TestServers.TOKEN));

    assertThat(get("/healthz", null).body()).isEqualTo("ok\n");
    assertThat(get("/readyz", null).statusCode()).isEqualTo(503);
    ready.set(true);
    HttpResponse<String> readiness = get("/readyz", null);
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).isEqualTo("ready\n");
    HttpResponse<String> metrics = get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).isEqualTo("# TYPE up gauge\nup 1.0\n");
  }

  @Test
  void everyApiRouteRefusesAMissingOrWrongTokenAndAnswersTheRightOne() throws Exception {
    start(new BearerToken(TestServers.TOKEN));

    for (String path : GUARDED) {
      assertThat(get(path, null).statusCode()).as(path + " without a token").isEqualTo(401);
      assertThat(get(path, "Bearer wrong").statusCode()).as(path + " wrong token").isEqualTo(401);
      assertThat(get(path, "Bearer " + TestServers.TOKEN).statusCode())
          .as(path + " with the token")
          .isIn(200, 404);
    }
    assertThat(get("/api/v1/consumers/groups", null).body())
        .isEqualTo("{\"error\":\"a valid bearer token is required\"}");
  }

  @Test
  void withoutAConfiguredTokenTheApiIsClosedAndTheProbesStayOpen() throws Exception {
    start(BearerToken.none());

    for (String path : GUARDED) {
      assertThat(get(path, "Bearer ").statusCode()).as(path).isEqualTo(401);
    }
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get("/", null).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAndMethodsAreRefusedAsJson() throws Exception {
    start(new BearerToken(TestServers.TOKEN));

    HttpResponse<String> unknown = get("/healthzzz", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"error\":\"no such endpoint: /healthzzz\"}");
    assertThat(get("/api/v1/consumers/groups/billing/lag", "Bearer t0ken").statusCode())
        .isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/consumers/groups"))
                .header("Authorization", "Bearer t0ken")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
