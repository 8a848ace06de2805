package io.groupwarden.operator.api;

import static io.groupwarden.http.Access.OPEN;
import static io.groupwarden.http.Access.TOKEN;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.insight.InsightStore;

/**
 * Every route of the operator's HTTP port, in one place: health, readiness and metrics open to the
 * kubelet and Prometheus, the dashboard page open (it holds no data), and the insight API and its
 * live feeds behind the bearer token. The answers are the records of {@code api.view}, so a change
 * to a custom resource or to the evaluation does not change what clients read.
 */
public final class OperatorRoutes {
  private static final String CONSUMERS = "/api/v1/consumers";
  private static final String EVENTS = "/api/v1/events";

  private OperatorRoutes() {}

  /** How the insight API writes JSON: times as RFC 3339 text. */
  public static ObjectMapper json() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /**
   * Adds the operator's routes to a server being built.
   *
   * @param store what the reconcilers last published
   * @param probes liveness, readiness and metrics
   */
  public static HttpServer.Builder declare(
      HttpServer.Builder server, InsightStore store, Probes probes) {
    ObjectMapper json = json();
    PolicyClusters clusters = new PolicyClusters(store);
    ProbesHandler probeAnswers = new ProbesHandler(probes);
    Dashboard dashboard = new Dashboard();
    GroupsHandler groups = new GroupsHandler(clusters);
    TopicsHandler topics = new TopicsHandler(clusters);
    StreamEventsHandler streams = new StreamEventsHandler(store);
    LiveGroupFeed live = new LiveGroupFeed(groups, clusters, json);
    return server
        .json(json)
        .get("/healthz", OPEN, request -> probeAnswers.health())
        .get("/readyz", OPEN, request -> probeAnswers.readiness())
        .get("/metrics", OPEN, request -> probeAnswers.metrics())
        .get("/", OPEN, request -> dashboard.page())
        .get(CONSUMERS + "/groups", TOKEN, groups::list)
        .get(CONSUMERS + "/groups/{group}", TOKEN, groups::detail)
        .get(CONSUMERS + "/groups/{group}/health", TOKEN, groups::health)
        .get(CONSUMERS + "/topics/{topic}/consumers", TOKEN, topics::consumers)
        .get(CONSUMERS + "/topics/{topic}/detail", TOKEN, topics::detail)
        .get(EVENTS + "/consumer-lag", TOKEN, request -> streams.consumerLag())
        .get(EVENTS + "/streams", TOKEN, request -> streams.streams())
        .get(EVENTS + "/health", TOKEN, request -> streams.health())
        .websocket("/ws/consumers/groups/{group}/live", TOKEN, live::open);
  }
}
