package io.groupwarden.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server =
        new HttpServer(0, new BearerToken("t0ken"))
            .open("/healthz", call -> HttpReply.text(200, "ok"))
            .guarded(
                "/api/v1",
                call ->
                    HttpReply.text(200, "secret " + call.path() + " " + call.param("cluster", "-")))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsOpen() throws Exception {
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theApiRefusesRequestsWithoutTheRightToken() throws Exception {
    assertThat(get("/api/v1/consumers/groups", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/consumers/groups", "Bearer wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void theApiAnswersWithTheToken() throws Exception {
    HttpResponse<String> response = get("/api/v1/consumers/groups?cluster=ns/p", "Bearer t0ken");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("secret /api/v1/consumers/groups ns/p");
  }

  @Test
  void withoutAConfiguredTokenTheApiIsClosed() throws Exception {
    server.close();
    server =
        new HttpServer(0, new BearerToken(null))
            .guarded("/api/v1", call -> HttpReply.text(200, "open?"))
            .start();

    assertThat(get("/api/v1/x", "Bearer ").statusCode()).isEqualTo(401);
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertThat(get("/nope", null).statusCode()).isEqualTo(404);
    assertThat(get("/healthzzz", null).statusCode()).isEqualTo(404);
  }
}
