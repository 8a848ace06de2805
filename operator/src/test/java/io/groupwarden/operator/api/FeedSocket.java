package io.groupwarden.operator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of one live feed of the insight API: it joins the parts of each text message (a large
 * message arrives in several) and queues the whole messages as JSON.
 */
final class FeedSocket implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final WebSocket socket;

  private FeedSocket(HttpClient http, URI uri) throws Exception {
    socket = http.newWebSocketBuilder().buildAsync(uri, new Joiner()).get(10, TimeUnit.SECONDS);
  }

  /** Connects to {@code uri}, which carries its access token. */
  static FeedSocket open(HttpClient http, URI uri) throws Exception {
    return new FeedSocket(http, uri);
  }

  /** The next whole message, or null when none arrives within {@code timeout}. */
  JsonNode poll(Duration timeout) throws InterruptedException {
    return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next whole message; fails when none arrives within 10 s. */
  JsonNode next() throws InterruptedException {
    JsonNode message = poll(Duration.ofSeconds(10));
    if (message == null) {
      throw new AssertionError("no message within 10 s");
    }
    return message;
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Joiner implements WebSocket.Listener {
    private final StringBuilder parts = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      parts.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(parts.toString()));
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
        parts.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
