package io.groupwarden.operator.api;

import static io.groupwarden.operator.governance.GroupEvaluationBuilder.partition;
import static io.groupwarden.operator.support.Sources.kafka;
import static io.groupwarden.operator.support.Sources.redis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluationBuilder;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InsightApiTest {
  private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InsightStore store = new InsightStore();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  /**
   * Two partitions of orders, one per member; fully compliant or at half compliance. Its lag
   * statistics are those of the two partitions (nearest rank: p50 is the smaller, p95 the larger).
   */
  static GroupEvaluation group(String id, long lagOn0, long lagOn1, boolean compliant) {
    long larger = Math.max(lagOn0, lagOn1);
    return GroupEvaluationBuilder.group(id)
        .partition(partition(new PartitionRef("orders", 0), lagOn0, 1.5, 100, "worker-0"))
        .partition(partition(new PartitionRef("orders", 1), lagOn1, 2.0, 200, "worker-1"))
        .lag(new LagStats(Math.min(lagOn0, lagOn1), larger, larger, lagOn0 + lagOn1))
        .lagSeconds(new LagSecondsStats(1.5, 2.0))
        .slo(compliant ? 1.0 : 0.5, compliant)
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    store.policy(
        "shop/orders",
        AT,
        List.of(group("billing", 5, 7, true), group("shipping", 300, 400, false)));
    store.policy(
        "shop/audit", AT, List.of(group("auditor", 0, 0, true), group("shipping", 1, 1, true)));
    store.monitor(
        "platform/events",
        AT,
        List.of(
            redis("events:orders", "fanout").lag(12L).consumer("c1", 3L, 50L).build(),
            redis("events:orders", "audit").lag(5000L).health(Health.unhealthy).build(),
            kafka("orders", "billing").lag(3L).build()));
    server = TestServers.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, boolean withToken) throws Exception {
    return TestServers.get(server, path, withToken);
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path, true);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void everyApiEndpointRequiresTheToken() throws Exception {
    for (String path :
        List.of(
            "/api/v1/consumers/groups",
            "/api/v1/consumers/groups/billing",
            "/api/v1/consumers/topics/orders/detail",
            "/api/v1/events/consumer-lag")) {
      assertThat(get(path, false).statusCode()).as(path).isEqualTo(401);
    }
  }

  @Test
  void listsTheGroupsOfEveryClusterOrOfOne() throws Exception {
    JsonNode all = json("/api/v1/consumers/groups");
    assertThat(all.path("clusters")).hasSize(2);

    JsonNode one = json("/api/v1/consumers/groups?cluster=shop/orders").path("clusters").get(0);
    assertThat(one.path("cluster").asText()).isEqualTo("shop/orders");
    assertThat(one.path("groups"))
        .extracting(g -> g.path("groupId").asText())
        .containsExactly("billing", "shipping");
    JsonNode shipping = one.path("groups").get(1);
    assertThat(shipping.path("health").asText()).isEqualTo("CRITICAL");
    assertThat(shipping.path("lag").path("total").asLong()).isEqualTo(700);
    assertThat(get("/api/v1/consumers/groups?cluster=shop/nope", true).statusCode()).isEqualTo(404);
  }

  @Test
  void aGroupsDetailAndHealth() throws Exception {
    JsonNode detail = json("/api/v1/consumers/groups/billing");
    assertThat(detail.path("cluster").asText()).isEqualTo("shop/orders");
    assertThat(detail.path("group").path("partitions")).hasSize(2);
    assertThat(detail.path("group").path("partitions").get(1).path("owner").asText())
        .isEqualTo("worker-1");

    JsonNode health = json("/api/v1/consumers/groups/billing/health");
    assertThat(health.path("health").asText()).isEqualTo("HEALTHY");
    assertThat(health.path("recommendation").asText()).isEqualTo("No action needed.");

    assertThat(get("/api/v1/consumers/groups/nobody", true).statusCode()).isEqualTo(404);
  }

  @Test
  void aGroupInSeveralClustersNeedsTheClusterNamed() throws Exception {
    HttpResponse<String> ambiguous = get("/api/v1/consumers/groups/shipping", true);
    assertThat(ambiguous.statusCode()).isEqualTo(400);
    assertThat(ambiguous.body()).contains("shop/orders").contains("shop/audit");

    assertThat(
            json("/api/v1/consumers/groups/shipping?cluster=shop/audit")
                .path("group")
                .path("lag")
                .path("total")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void aTopicsConsumersAndPartitions() throws Exception {
    JsonNode consumers = json("/api/v1/consumers/topics/orders/consumers?cluster=shop/orders");
    assertThat(consumers.path("consumers"))
        .extracting(c -> c.path("group").asText())
        .containsExactly("billing", "shipping");
    assertThat(consumers.path("consumers").get(0).path("lag").asLong()).isEqualTo(12);

    JsonNode detail = json("/api/v1/consumers/topics/orders/detail?cluster=shop/orders");
    assertThat(detail.path("partitions")).hasSize(4);
    assertThat(json("/api/v1/consumers/topics/unknown/detail").path("partitions")).isEmpty();
  }

  @Test
  void redisStreamSourcesByGroupByStreamAndOverallHealth() throws Exception {
    JsonNode lag = json("/api/v1/events/consumer-lag");
    assertThat(lag.path("sources")).hasSize(2); // the Kafka source is not a stream
    assertThat(lag.path("sources").get(0).path("consumers").get(0).path("pending").asLong())
        .isEqualTo(3);

    JsonNode streams = json("/api/v1/events/streams");
    assertThat(streams.path("streams").get(0).path("stream").asText()).isEqualTo("events:orders");
    assertThat(streams.path("streams").get(0).path("groups")).hasSize(2);

    JsonNode health = json("/api/v1/events/health");
    assertThat(health.path("health").asText()).isEqualTo("unhealthy");
    assertThat(health.path("sources").path("unhealthy").asInt()).isEqualTo(1);
  }

  @Test
  void theLiveFeedSendsTheGroupAtOnceAndRefusesWithoutAToken() throws Exception {
    JsonNode message;
    try (FeedSocket feed =
        FeedSocket.open(
            http,
            URI.create(
                "ws://127.0.0.1:"
                    + server.port()
                    + "/ws/consumers/groups/billing/live?interval=1&access_token=t0ken"))) {
      message = feed.next();
    }

    assertThat(message.path("group").path("groupId").asText()).isEqualTo("billing");
    assertThat(message.path("cluster").asText()).isEqualTo("shop/orders");
    assertThatThrownBy(
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(
                        URI.create(
                            "ws://127.0.0.1:"
                                + server.port()
                                + "/ws/consumers/groups/billing/live"),
                        new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                    .isEqualTo(401));
  }

  @Test
  void theDashboardIsServedWithoutDataOrToken() throws Exception {
    HttpResponse<String> page = get("/", false);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("/api/v1/consumers/groups").doesNotContain("billing");
  }
}
