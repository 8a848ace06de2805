package io.groupwarden.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Consumer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The insight API's contract: every endpoint's whole answer for one fixed store, compared with the
 * JSON documents under {@code src/test/resources/.../api/contract}. A change to the evaluation or
 * to a CRD's status must not change these; a change to the contract is a change to those files.
 */
class InsightApiContractTest {
  private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InsightStore store = new InsightStore();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    store.policy("shop/orders", AT, List.of(laggingGroup(), caughtUpGroup()));
    store.monitor(
        "platform/events",
        AT,
        List.of(
            new Source(
                Kind.redis,
                "events:orders",
                "fanout",
                12L,
                List.of(new Consumer("c1", 3L, 50L)),
                Health.healthy,
                null,
                null),
            new Source(
                Kind.redis,
                "events:orders",
                "audit",
                null,
                null,
                Health.degraded,
                null,
                "the stream was trimmed past the group's last delivered entry"),
            new Source(
                Kind.redis,
                "events:payments",
                "fanout",
                -1L,
                null,
                Health.unhealthy,
                "cannot read redis://cache:6379: connection refused",
                null),
            new Source(Kind.kafka, "orders", "billing", 3L, null, Health.healthy, null, null)));
    server = TestServers.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Stuck, behind its SLO, scaling: every optional field set. */
  private static GroupEvaluation laggingGroup() {
    return new GroupEvaluation(
        "billing",
        "Stable",
        2,
        "range",
        List.of("orders"),
        new LagStats(300, 900, 900, 1200),
        new LagSecondsStats(41.5, 60.25),
        0.5,
        false,
        0.25,
        true,
        3,
        70,
        true,
        List.of(
            new StuckPartition(
                new PartitionRef("orders", 1),
                Instant.parse("2026-11-24T11:50:00Z"),
                200,
                900,
                StuckReason.STALL)),
        1.0,
        List.of(
            new PartitionLag(
                new PartitionRef("orders", 0), 300, 41.5, 100L, LagFrom.COMMITTED, "worker-0"),
            new PartitionLag(
                new PartitionRef("orders", 1), 900, 60.25, 200L, LagFrom.COMMITTED, "worker-1")),
        new Recommendation(
            Action.INSPECT_STUCK_PARTITION,
            "Inspect partition orders-1 at offset 200: its consumer makes no progress.",
            null),
        4);
  }

  /** Caught up, partly unconsumed, lag time unknown: the optional fields absent. */
  private static GroupEvaluation caughtUpGroup() {
    return new GroupEvaluation(
        "shipping",
        "Empty",
        0,
        "",
        List.of("orders", "returns"),
        new LagStats(0, 0, 0, 0),
        new LagSecondsStats(null, null),
        null,
        true,
        0.0,
        true,
        0,
        100,
        true,
        List.of(),
        0.5,
        List.of(
            new PartitionLag(
                new PartitionRef("returns", 0), 0, null, null, LagFrom.LOG_START, null)),
        new Recommendation(Action.SCALE_OUT, "Scale out to 1 consumer.", 1),
        null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/api/v1/consumers/groups, 200, groups.json",
    "/api/v1/consumers/groups/billing, 200, group-billing.json",
    "/api/v1/consumers/groups/shipping?cluster=shop/orders, 200, group-shipping.json",
    "/api/v1/consumers/groups/billing/health, 200, group-billing-health.json",
    "/api/v1/consumers/topics/orders/consumers, 200, topic-orders-consumers.json",
    "/api/v1/consumers/topics/orders/detail, 200, topic-orders-detail.json",
    "/api/v1/consumers/topics/unknown/detail, 200, topic-unknown-detail.json",
    "/api/v1/events/consumer-lag, 200, events-consumer-lag.json",
    "/api/v1/events/streams, 200, events-streams.json",
    "/api/v1/events/health, 200, events-health.json",
    "/api/v1/consumers/groups/nobody, 404, error-no-group.json",
    "/api/v1/consumers/groups?cluster=shop/nope, 404, error-no-cluster.json",
  })
  void everyEndpointAnswersItsDocumentedShape(String path, int status, String document)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer t0ken")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(path).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer).as(path).isEqualTo(expected(document));
  }

  private static JsonNode expected(String document) throws IOException {
    try (InputStream in =
        InsightApiContractTest.class.getResourceAsStream("contract/" + document)) {
      assertThat(in).as("contract/" + document).isNotNull();
      return JSON.readTree(in);
    }
  }
}
