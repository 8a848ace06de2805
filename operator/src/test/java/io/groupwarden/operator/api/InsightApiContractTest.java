package io.groupwarden.operator.api;

import static io.groupwarden.operator.governance.GroupEvaluationBuilder.group;
import static io.groupwarden.operator.support.Sources.kafka;
import static io.groupwarden.operator.support.Sources.redis;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.governance.CatchUp;
import io.groupwarden.operator.governance.Finding;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    store.policy("shop/orders", AT, List.of(laggingGroup(), caughtUpGroup()));
    store.monitor(
        "platform/events",
        AT,
        List.of(
            redis("events:orders", "fanout").lag(12L).consumer("c1", 3L, 50L).build(),
            redis("events:orders", "audit")
                .lag(null)
                .health(Health.degraded)
                .note("the stream was trimmed past the group's last delivered entry")
                .build(),
            redis("events:payments", "fanout")
                .unreachable("cannot read redis://cache:6379: connection refused")
                .build(),
            kafka("orders", "billing").lag(3L).build()));
    server = TestServers.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Stuck, behind its SLO, losing records, scaling: every optional field set. */
  private static GroupEvaluation laggingGroup() {
    PartitionRef orders0 = new PartitionRef("orders", 0);
    PartitionRef orders1 = new PartitionRef("orders", 1);
    CatchUp notCatchingUp = new CatchUp(CatchUp.State.NOT_CATCHING_UP, null, 12.0, 4.5);
    Map<String, Number> lostNumbers = new LinkedHashMap<>();
    lostNumbers.put("recordsLost", 250L);
    lostNumbers.put("committedOffset", 100L);
    lostNumbers.put("logStartOffset", 350L);
    lostNumbers.put("lagSeconds", Double.NaN);
    Map<String, Number> stuckNumbers = new LinkedHashMap<>();
    stuckNumbers.put("committedOffset", 200L);
    stuckNumbers.put("lag", 900L);
    stuckNumbers.put("stuckSeconds", 600.0);
    return group("billing")
        .members(2)
        .partition(
            new PartitionLag(
                orders0,
                300,
                41.5,
                100L,
                LagFrom.LOG_START_AFTER_LOSS,
                "worker-0",
                250,
                new CatchUp(CatchUp.State.CATCHING_UP, 250.0, 2.0, 3.2),
                null))
        .partition(
            new PartitionLag(
                orders1, 900, 60.25, 200L, LagFrom.COMMITTED, "worker-1", 0, notCatchingUp, 600.0))
        .lag(new LagStats(300, 900, 900, 1200))
        .lagSeconds(new LagSecondsStats(41.5, 60.25))
        .slo(0.5, false)
        .fairness(0.25, true)
        .rebalances(3, 70, true)
        .stuck(
            List.of(
                new StuckPartition(
                    orders1, Instant.parse("2026-11-24T11:50:00Z"), 200, 900, StuckReason.STALL)))
        .lost(
            250,
            List.of(
                new RetentionOverrun(
                    orders0, 100, 350, 250, Instant.parse("2026-11-24T11:40:00Z"))))
        .lossAtRisk(orders1, 900, 3000, 3_600_000L, 600)
        .catchUp(notCatchingUp)
        .recommendation(
            new Recommendation(
                Action.PREVENT_DATA_LOSS,
                "Raise retention.ms of orders or consume faster: 250 records of orders-0 were lost.",
                null,
                List.of(
                    new Finding(
                        Finding.Type.RECORDS_LOST,
                        Finding.Severity.CRITICAL,
                        orders0,
                        Instant.parse("2026-11-24T11:40:00Z"),
                        lostNumbers,
                        "retention deleted 250 records of orders-0 before the group consumed them",
                        Action.PREVENT_DATA_LOSS,
                        "Raise retention.ms of orders or consume faster",
                        null),
                    new Finding(
                        Finding.Type.STUCK_PARTITION,
                        Finding.Severity.CRITICAL,
                        orders1,
                        Instant.parse("2026-11-24T11:50:00Z"),
                        stuckNumbers,
                        "its consumer makes no progress at offset 200",
                        Action.INSPECT_STUCK_PARTITION,
                        "Inspect partition orders-1",
                        null))))
        .desiredReplicas(4)
        .build();
  }

  /** Caught up, partly unconsumed, lag time unknown: the optional fields absent. */
  private static GroupEvaluation caughtUpGroup() {
    return group("shipping")
        .state("Empty")
        .members(0)
        .assignor("")
        .topics(List.of("orders", "returns"))
        .partition(
            new PartitionLag(
                new PartitionRef("returns", 0),
                0,
                null,
                null,
                LagFrom.LOG_START,
                null,
                0,
                new CatchUp(CatchUp.State.UNKNOWN, null, 0, Double.NaN),
                null))
        .lagSeconds(new LagSecondsStats(null, null))
        .slo(null, true)
        .coverage(0.5)
        .recommendation(
            new Recommendation(Action.SCALE_OUT, "Scale out to 1 consumer.", 1, List.of()))
        .build();
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
    HttpResponse<String> response = TestServers.get(server, path, true);

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
