package io.groupwarden.operator.api;

import static io.groupwarden.http.Access.OPEN;
import static io.groupwarden.http.Access.TOKEN;
import static io.groupwarden.operator.api.ApiRoute.get;
import static io.groupwarden.operator.api.ApiRoute.param;
import static io.groupwarden.operator.api.ApiRoute.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.groupwarden.http.Handler;
import io.groupwarden.http.HttpServer;
import io.groupwarden.http.Response;
import io.groupwarden.http.WebSocketRoute;
import io.groupwarden.operator.api.view.ClusterDetailView;
import io.groupwarden.operator.api.view.ClustersView;
import io.groupwarden.operator.api.view.GroupDetailView;
import io.groupwarden.operator.api.view.GroupHealthView;
import io.groupwarden.operator.api.view.GroupHistoryView;
import io.groupwarden.operator.api.view.GroupListView;
import io.groupwarden.operator.api.view.LagMonitorView;
import io.groupwarden.operator.api.view.LagMonitorsView;
import io.groupwarden.operator.api.view.StreamSourcesView;
import io.groupwarden.operator.api.view.StreamsHealthView;
import io.groupwarden.operator.api.view.StreamsView;
import io.groupwarden.operator.api.view.TopicConsumersView;
import io.groupwarden.operator.api.view.TopicDetailView;
import io.groupwarden.operator.api.view.TopicsView;
import io.groupwarden.operator.insight.InsightStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Every route of the operator's HTTP port, in one place: health, readiness and metrics open to the
 * kubelet and Prometheus, the dashboard and the API's documentation open (they hold no data), and
 * the insight API and its live feeds behind the bearer token. The answers are the records of {@code
 * api.view}, so a change to a custom resource or to the evaluation does not change what clients
 * read; the OpenAPI document is built from the same table.
 */
public final class OperatorRoutes {
  private static final String CONSUMERS = "/api/v1/consumers";
  private static final String EVENTS = "/api/v1/events";

  private static final ApiRoute.Param CLUSTER =
      param("cluster", "namespace/policy; may be left out when one policy governs the group");
  private static final ApiRoute.Param INTERVAL =
      param("interval", "seconds between messages, 1 to 300 (default 10)");

  private OperatorRoutes() {}

  /** How the insight API writes JSON: times as RFC 3339 text. */
  public static ObjectMapper json() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /** Adds the operator's routes to a server being built, without Kubernetes Events. */
  public static HttpServer.Builder declare(
      HttpServer.Builder server, InsightStore store, Probes probes) {
    return declare(server, store, probes, RecentEvents.NONE);
  }

  /**
   * Adds the operator's routes to a server being built.
   *
   * @param store what the reconcilers (or, on a standby, the snapshots) last published
   * @param probes liveness, readiness and metrics
   * @param events the recent Kubernetes Events about a resource
   */
  public static HttpServer.Builder declare(
      HttpServer.Builder server, InsightStore store, Probes probes, RecentEvents events) {
    ObjectMapper json = json();
    PolicyClusters clusters = new PolicyClusters(store);
    ProbesHandler probeAnswers = new ProbesHandler(probes);
    ClustersHandler clusterViews = new ClustersHandler(clusters);
    GroupsHandler groups = new GroupsHandler(clusters, store, events);
    TopicsHandler topics = new TopicsHandler(clusters);
    LagMonitorsHandler monitors = new LagMonitorsHandler(store);
    StreamEventsHandler streams = new StreamEventsHandler(store);
    LiveFeeds live = new LiveFeeds(groups, clusterViews, clusters, store, json);

    Api api = new Api(server.json(json));
    api.get(
            get(
                "/api/v1/clusters",
                "Every governed cluster (policy) at a glance.",
                ClustersView.class),
            clusterViews::list)
        .get(
            get(
                "/api/v1/clusters/{namespace}/{policy}",
                "One cluster at a glance, with its groups.",
                ClusterDetailView.class),
            clusterViews::detail)
        .get(
            get(
                CONSUMERS + "/groups",
                "Every governed group with lag, SLO, Gini, rebalance score, health and"
                    + " recommendation, by cluster.",
                GroupListView.class,
                param("cluster", "namespace/policy: only that cluster")),
            groups::list)
        .get(
            get(
                CONSUMERS + "/groups/{group}",
                "One group: every partition, every member with its assignment, the SLO it is"
                    + " judged by, recent membership changes and Events.",
                GroupDetailView.class,
                CLUSTER),
            groups::detail)
        .get(
            get(
                CONSUMERS + "/groups/{group}/health",
                "One group's health and the findings behind it.",
                GroupHealthView.class,
                CLUSTER),
            groups::health)
        .get(
            get(
                CONSUMERS + "/groups/{group}/history",
                "One group's lag and lag seconds over the retained window, per group and per"
                    + " partition, and its SLO compliance, Gini and rebalance score over time.",
                GroupHistoryView.class,
                CLUSTER,
                param("since", "a duration back from the newest sample (10m) or an RFC 3339 time"),
                param("step", "a duration; the newest sample of each step is kept (default: all)"),
                param(
                    "partitions",
                    "how many partition series, most lagging first (0 to 1000," + " default 50)")),
            groups::history)
        .get(
            get(
                CONSUMERS + "/topics",
                "Every topic governed groups consume, with its consumers, coverage and health.",
                TopicsView.class,
                param("cluster", "namespace/policy: only that cluster")),
            topics::list)
        .get(
            get(
                CONSUMERS + "/topics/{topic}/consumers",
                "The governed groups that consume a topic.",
                TopicConsumersView.class,
                param("cluster", "namespace/policy: only that cluster")),
            topics::consumers)
        .get(
            get(
                CONSUMERS + "/topics/{topic}/detail",
                "A topic's partitions per group, its consumers, coverage and aggregated health.",
                TopicDetailView.class,
                param("cluster", "namespace/policy: only that cluster")),
            topics::detail)
        .get(
            get(
                "/api/v1/lagmonitors",
                "Every LagMonitor: Kafka and Redis Streams sources with lag, health and trend.",
                LagMonitorsView.class),
            monitors::list)
        .get(
            get(
                "/api/v1/lagmonitors/{namespace}/{name}",
                "One LagMonitor's sources with lag, health and trend.",
                LagMonitorView.class),
            monitors::detail)
        .get(
            get(
                EVENTS + "/consumer-lag",
                "Redis Streams lag per stream and group: total_lag, max_lag, stream_count,"
                    + " redis_connected.",
                StreamSourcesView.class),
            request -> streams.consumerLag())
        .get(
            get(
                EVENTS + "/streams",
                "Redis streams with their length, first and last entry, and the groups that read"
                    + " them.",
                StreamsView.class),
            request -> streams.streams())
        .get(
            get(
                EVENTS + "/health",
                "Health of the Redis Streams sources, with the thresholds behind it.",
                StreamsHealthView.class),
            request -> streams.health())
        .socket(
            socket(
                "/ws/consumers/groups/{group}/live",
                "The group's detail (type \"group\") at once and every interval, and its"
                    + " member-joined, member-left and state-change notifications as they are"
                    + " seen.",
                CLUSTER,
                INTERVAL,
                param("access_token", "the bearer token, for browsers")),
            live::group)
        .socket(
            socket(
                "/ws/clusters/{namespace}/{policy}/live",
                "The cluster with its groups (type \"cluster\") at once and every interval, and"
                    + " the notifications of all its groups.",
                INTERVAL,
                param("access_token", "the bearer token, for browsers")),
            live::cluster);

    byte[] openApi;
    try {
      ObjectNode document = OpenApiDocument.of(api.routes, json);
      openApi = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
    } catch (Exception e) {
      throw new IllegalStateException("the OpenAPI document cannot be built", e);
    }
    StaticAssets.byPath().forEach((path, file) -> server.get(path, OPEN, request -> file));
    return server
        .get("/healthz", OPEN, request -> probeAnswers.health())
        .get("/readyz", OPEN, request -> probeAnswers.readiness())
        .get("/metrics", OPEN, request -> probeAnswers.metrics())
        .get("/api/openapi.json", OPEN, request -> Response.bytes(200, Response.JSON, openApi));
  }

  /** The insight API's routes: declared on the server and kept for the OpenAPI document. */
  private static final class Api {
    final HttpServer.Builder server;
    final List<ApiRoute> routes = new ArrayList<>();

    Api(HttpServer.Builder server) {
      this.server = server;
    }

    Api get(ApiRoute route, Handler handler) {
      routes.add(route);
      server.get(route.path(), TOKEN, handler);
      return this;
    }

    Api socket(ApiRoute route, WebSocketRoute handler) {
      routes.add(route);
      server.websocket(route.path(), TOKEN, handler);
      return this;
    }
  }
}
