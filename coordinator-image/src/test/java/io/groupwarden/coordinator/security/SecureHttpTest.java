package io.groupwarden.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.support.CoordinatorPerClass;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker's HTTP port over TLS, with every route but the probes' /health behind a token. */
class SecureHttpTest {
  private static final String TOKEN = "http-token-5d2e";

  @RegisterExtension
  static final CoordinatorPerClass broker =
      CoordinatorPerClass.withTls(
          "http-ca", (tls, dir) -> Map.of("http-tls", "true", "http-token", TOKEN));

  static HttpClient client;

  @BeforeAll
  static void trustTheBroker() {
    client = HttpClient.newBuilder().sslContext(broker.tls().ca().trustingContext()).build();
  }

  private static HttpResponse<String> get(String scheme, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(scheme + "://localhost:" + broker.coordinator().httpPort() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsOpenAndEverythingElseNeedsTheToken() throws Exception {
    assertThat(get("https", "/health").statusCode()).isEqualTo(200);

    HttpResponse<String> refused = get("https", "/topics");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo("{\"error\":\"a valid bearer token is required\"}");
    assertThat(get("https", "/topics", "Authorization", "Bearer wrong").statusCode())
        .isEqualTo(401);
    assertThat(get("https", "/metrics", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(get("https", "/topics", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
  }

  @Test
  void plainHttpIsNotServed() {
    assertThatThrownBy(() -> get("http", "/health")).isInstanceOf(IOException.class);
  }
}
