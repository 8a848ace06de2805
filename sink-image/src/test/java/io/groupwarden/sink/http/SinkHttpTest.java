package io.groupwarden.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.http.HttpServer;
import io.groupwarden.sink.health.Liveness;
import io.groupwarden.sink.health.Readiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SinkHttpTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicReference<Liveness> liveness =
      new AtomicReference<>(new Liveness("UP", "running"));
  private final AtomicReference<Readiness> readiness =
      new AtomicReference<>(new Readiness("UP", "UP", "UP"));
  private HttpServer server;

  @BeforeEach
  void start() throws InterruptedException {
    server =
        SinkHttp.start(
            "127.0.0.1",
            0,
            () -> "# TYPE consumer_lag gauge\nconsumer_lag{partition=\"0\"} 3.0\n",
            liveness::get,
            readiness::get);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAnswersItsRecordAsJsonWith200WhenUpAnd503WhenNot() throws Exception {
    HttpResponse<String> up = send("GET", "/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.headers().firstValue("content-type")).contains("application/json");
    assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"worker\":\"running\"}");

    liveness.set(new Liveness("DOWN", "stuck"));
    HttpResponse<String> down = send("GET", "/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"worker\":\"stuck\"}");
  }

  @Test
  void readinessNamesTheSideThatIsDown() throws Exception {
    assertThat(send("GET", "/health/ready").statusCode()).isEqualTo(200);

    readiness.set(new Readiness("DOWN", "DOWN", "UP"));
    HttpResponse<String> down = send("GET", "/health/ready");

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .isEqualTo("{\"status\":\"DOWN\",\"kafka\":\"DOWN\",\"mongodb\":\"UP\"}");
    assertThat(send("HEAD", "/health/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void metricsAreThePrometheusText() throws Exception {
    HttpResponse<String> metrics = send("GET", "/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).contains("consumer_lag{partition=\"0\"} 3.0");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(send("GET", "/health/other").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/health").statusCode()).isEqualTo(405);
  }
}
