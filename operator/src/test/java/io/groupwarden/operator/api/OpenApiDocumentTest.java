package io.groupwarden.operator.api;

import static io.groupwarden.operator.support.Sources.kafka;
import static io.groupwarden.operator.support.Sources.redis;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.groupwarden.http.BearerToken;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.api.view.EventView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluator;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.insight.AutoscaleDecision;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.Origin;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import io.groupwarden.operator.insight.InsightStore.Thresholds;
import io.groupwarden.operator.lag.history.LagHistory;
import io.groupwarden.operator.lagmonitor.redis.StreamInfo;
import io.groupwarden.testkit.OpenApiRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /api/openapi.json} lists exactly the insight API's routes that the
 * server serves, and every answer of a fully populated store matches the schema it documents.
 */
class OpenApiDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Map<String, String> EXAMPLES =
      Map.of(
          "group", "billing",
          "topic", "orders",
          "namespace", "shop",
          "policy", "orders",
          "name", "events");

  private final InsightStore store = new InsightStore();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    PolicySettings settings =
        new PolicySettings(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            null,
            0.95,
            Duration.ofSeconds(30),
            0.3,
            Duration.ofSeconds(5),
            70,
            Duration.ofMinutes(1),
            10,
            null,
            null);
    LagHistory history = LagHistory.sizedFor(settings);
    GroupSample last = null;
    for (int t = 0; t < 10; t++) {
      last = sample(T0.plusSeconds(t), t);
      history.record(last);
      GroupEvaluation evaluation =
          history
              .read("billing", timeline -> GroupEvaluator.evaluate(timeline, settings, T0))
              .orElseThrow();
      store.publish(
          new PolicyView(
              "shop/orders",
              last.time(),
              List.of(evaluation),
              Map.of("billing", last),
              settings,
              history::read,
              Origin.LEADER,
              new AutoscaleDecision(
                  "Deployment/billing",
                  2,
                  3,
                  "2026-11-24T12:00:05Z",
                  "scaled out to 3: lag 900 above 300 per replica")));
    }
    store.monitor(
        "shop/events",
        T0,
        List.of(
            redis("events:chat", "signalr").lag(130L).consumer("instance-1", 3L, 50L).build(),
            kafka("orders", "billing").lag(3L).build()),
        new Thresholds(100, 1000),
        Map.of(
            "events:chat",
            new StreamInfo(
                "events:chat",
                150,
                "1764590400000-0",
                "1764590300000-0",
                "1764590400000-0",
                150L,
                1)));
    RecentEvents events =
        (namespace, kind, name) ->
            List.of(
                new EventView(
                    "Warning",
                    "StuckPartition",
                    "orders-1 makes no progress",
                    2,
                    "2026-11-24T12:00:05Z",
                    "2026-11-24T12:00:09Z"));
    server =
        OperatorRoutes.declare(
                HttpServer.builder("openapi-test")
                    .bind("127.0.0.1", 0)
                    .token(new BearerToken("t0ken")),
                store,
                new Probes(
                    () -> Probes.Verdict.up("ok"), () -> Probes.Verdict.up("ready"), () -> ""),
                events)
            .start();
  }

  /** One member on orders-0 and orders-1; orders-1's committed offset never moves. */
  private static GroupSample sample(Instant time, int t) {
    return new GroupSample(
        "billing",
        time,
        "Stable",
        "range",
        null,
        List.of(
            new MemberSample(
                "member-1",
                null,
                "billing-1",
                "/10.0.0.1",
                List.of(new PartitionRef("orders", 0), new PartitionRef("orders", 1)))),
        List.of(
            new PartitionSample("orders", 0, -1, 100 + 10L * t, 100 + 10L * t),
            new PartitionSample("orders", 1, -1, 200 + 10L * t, 150L)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, boolean withToken) throws Exception {
    return TestServers.get(server, path, withToken);
  }

  private JsonNode document() throws Exception {
    HttpResponse<String> response = get("/api/openapi.json", false);
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void theDocumentListsExactlyTheApiRoutesTheServerServes() throws Exception {
    JsonNode doc = document();
    Set<String> documented = OpenApiRoutes.documented(doc);
    Set<String> served = new TreeSet<>();
    for (String route : server.describeRoutes()) {
      String path = route.substring(route.indexOf(' ') + 1);
      if (path.startsWith("/api/v1/") || path.startsWith("/ws/")) {
        served.add(route);
      }
    }

    assertThat(documented).isEqualTo(served);
    assertThat(served)
        .contains("GET /api/v1/consumers/groups/{group}/history", "GET /api/v1/clusters");
    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(get("/api/docs", false).body()).contains("swagger-ui-bundle.js");
  }

  @Test
  void everyAnswerMatchesItsDocumentedSchema() throws Exception {
    JsonNode doc = document();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    List<String> checked = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      JsonNode operation = path.getValue().path("get");
      String concrete = path.getKey();
      for (Map.Entry<String, String> example : EXAMPLES.entrySet()) {
        concrete = concrete.replace("{" + example.getKey() + "}", example.getValue());
      }
      if (operation.path("x-websocket").asBoolean()) {
        JsonNode first = firstMessage(concrete);
        assertThat(first.path("type").asText()).as(concrete).isIn("group", "cluster");
        continue;
      }
      HttpResponse<String> answer = get(concrete, true);
      assertThat(answer.statusCode()).as(concrete + ": " + answer.body()).isEqualTo(200);
      JsonNode schema =
          operation
              .path("responses")
              .path("200")
              .path("content")
              .path("application/json")
              .path("schema");
      assertValid(factory, doc, schema, JSON.readTree(answer.body()), concrete);
      checked.add(concrete);

      HttpResponse<String> refused = get(concrete, false);
      assertThat(refused.statusCode()).isEqualTo(401);
      JsonNode errorSchema =
          operation
              .path("responses")
              .path("401")
              .path("content")
              .path("application/json")
              .path("schema");
      assertValid(factory, doc, errorSchema, JSON.readTree(refused.body()), concrete + " (401)");
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(14);
    // a detail with members, settings and history: the schemas were checked on real content
    JsonNode detail = JSON.readTree(get("/api/v1/consumers/groups/billing", true).body());
    assertThat(detail.path("memberDetails").get(0).path("partitions").asInt()).isEqualTo(2);
    assertThat(detail.path("events").get(0).path("reason").asText()).isEqualTo("StuckPartition");
    assertThat(detail.path("autoscale").path("desiredReplicas").asInt()).isEqualTo(3);
    JsonNode history =
        JSON.readTree(
            get("/api/v1/consumers/groups/billing/history?since=5s&step=2s", true).body());
    assertThat(history.path("times").size()).isBetween(2, 4);
    assertThat(history.path("trend").path("sloCompliance").size()).isEqualTo(6);
  }

  /** Validates against the document's schema, its references inlined (the views have no cycles). */
  private static void assertValid(
      JsonSchemaFactory factory, JsonNode doc, JsonNode schemaRef, JsonNode answer, String what) {
    JsonNode schema = inline(schemaRef, doc.path("components").path("schemas"), 0);
    JsonSchema validator = factory.getSchema(schema);
    Set<ValidationMessage> problems = validator.validate(answer);
    assertThat(problems).as(what + " against " + schemaRef).isEmpty();
  }

  private static JsonNode inline(JsonNode node, JsonNode schemas, int depth) {
    assertThat(depth).as("schema nesting").isLessThan(40);
    if (node.isObject()) {
      if (node.has("$ref")) {
        String name = node.path("$ref").asText().replace("#/components/schemas/", "");
        assertThat(schemas.has(name)).as("schema " + name + " is defined").isTrue();
        return inline(schemas.path(name), schemas, depth + 1);
      }
      ObjectNode copy = JSON.createObjectNode();
      node.fields()
          .forEachRemaining(f -> copy.set(f.getKey(), inline(f.getValue(), schemas, depth + 1)));
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      node.forEach(item -> copy.add(inline(item, schemas, depth + 1)));
      return copy;
    }
    return node;
  }

  private JsonNode firstMessage(String path) throws Exception {
    try (FeedSocket feed =
        FeedSocket.open(
            http, URI.create("ws://127.0.0.1:" + server.port() + path + "?access_token=t0ken"))) {
      return feed.next();
    }
  }
}
