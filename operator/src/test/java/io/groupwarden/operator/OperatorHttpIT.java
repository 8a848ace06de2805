package io.groupwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.RawHttp;
import io.groupwarden.testkit.RawHttp.Answer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running operator's HTTP port, as a client on the wire sees it. */
class OperatorHttpIT {
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = OperatorHarness.start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** A request and how to recognise its answer. */
  private record Expected(String path, boolean withToken, Predicate<Answer> answer) {}

  @Test
  void pipelinedRequestsOnOneConnectionAreAnsweredInTheOrderTheyWereSent() throws Exception {
    // Answers of very different cost (a Prometheus scrape, a constant, a store lookup), so that
    // any handling in parallel without ordering would show as answers out of place.
    List<Expected> sent = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String group = "group-" + i;
      sent.add(
          switch (i % 3) {
            case 0 ->
                new Expected(
                    "/api/v1/consumers/groups/" + group,
                    true,
                    a ->
                        a.status() == 404
                            && a.body().contains("\"no governed group " + group + "\""));
            case 1 ->
                new Expected(
                    "/metrics",
                    false,
                    a -> a.status() == 200 && a.contentType().contains("version=0.0.4"));
            default ->
                new Expected("/healthz", false, a -> a.status() == 200 && a.body().equals("ok\n"));
          });
    }
    StringBuilder wire = new StringBuilder();
    for (Expected request : sent) {
      wire.append("GET ").append(request.path()).append(" HTTP/1.1\r\nHost: operator\r\n");
      if (request.withToken()) {
        wire.append("Authorization: Bearer test-token\r\n");
      }
      wire.append("\r\n");
    }

    try (Socket socket = new Socket("127.0.0.1", harness.operator().httpPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(wire.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      RawHttp answers = new RawHttp(socket.getInputStream());

      for (int i = 0; i < sent.size(); i++) {
        Answer answer = answers.next();
        assertThat(answer)
            .as("answer %d should be for %s, got %s", i, sent.get(i).path(), answer)
            .matches(sent.get(i).answer());
      }
    }
  }
}
