package io.groupwarden.coordinator.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain GETs of a broker's HTTP port, for tests that read its metrics or pages as text. */
public final class HttpText {
  private HttpText() {}

  /** The body of a GET of {@code url}, whatever the status. */
  public static String get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
