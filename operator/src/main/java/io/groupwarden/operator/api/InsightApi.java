package io.groupwarden.operator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupHealth;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.MonitorView;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The insight API: what the operator knows about consumer groups and Redis streams, as JSON, for
 * dashboards and scripts; and a small dashboard page. A cluster is named {@code namespace/policy};
 * where it is left out and a group lives in one cluster only, that one is used.
 */
public final class InsightApi {
  private static final String CONSUMERS = "/api/v1/consumers";
  private static final String EVENTS = "/api/v1/events";
  private static final String LIVE = "/ws/consumers/groups";

  private final InsightStore store;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  public InsightApi(InsightStore store) {
    this.store = store;
  }

  /** Adds the API's routes to the server. */
  public HttpServer registerOn(HttpServer server) {
    return server
        .guarded(CONSUMERS, this::consumers)
        .guarded(EVENTS, this::events)
        .live(LIVE, this::live)
        .open("/", call -> HttpReply.html(dashboard()));
  }

  // --- /api/v1/consumers ------------------------------------------------------------------

  HttpReply consumers(HttpCall call) {
    try {
      return consumerRoutes(call);
    } catch (NoSuchElementException e) {
      return error(404, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
  }

  private HttpReply consumerRoutes(HttpCall call) {
    List<String> path = segments(call.path(), CONSUMERS);
    String cluster = call.param("cluster", null);
    if (path.equals(List.of("groups"))) {
      return ok(groupList(cluster));
    }
    if (path.size() == 2 && path.get(0).equals("groups")) {
      return ok(groupDetail(path.get(1), cluster));
    }
    if (path.size() == 3 && path.get(0).equals("groups") && path.get(2).equals("health")) {
      return ok(groupHealth(path.get(1), cluster));
    }
    if (path.size() == 3 && path.get(0).equals("topics") && path.get(2).equals("consumers")) {
      return ok(topicConsumers(path.get(1), cluster));
    }
    if (path.size() == 3 && path.get(0).equals("topics") && path.get(2).equals("detail")) {
      return ok(topicDetail(path.get(1), cluster));
    }
    return error(404, "no such endpoint: " + call.path());
  }

  private Map<String, Object> groupList(String cluster) {
    List<Map<String, Object>> clusters = new ArrayList<>();
    for (PolicyView view : views(cluster)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("cluster", view.cluster());
      entry.put("evaluatedAt", view.evaluatedAt());
      entry.put("groups", view.groups().stream().map(InsightApi::summary).toList());
      clusters.add(entry);
    }
    return Map.of("clusters", clusters);
  }

  private Map<String, Object> groupDetail(String groupId, String cluster) {
    Located located = locate(groupId, cluster);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("cluster", located.view().cluster());
    detail.put("evaluatedAt", located.view().evaluatedAt());
    detail.put("health", GroupHealth.of(located.group()));
    detail.put("group", located.group());
    return detail;
  }

  private Map<String, Object> groupHealth(String groupId, String cluster) {
    Located located = locate(groupId, cluster);
    GroupEvaluation g = located.group();
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("cluster", located.view().cluster());
    health.put("group", g.groupId());
    health.put("health", GroupHealth.of(g));
    health.put("sloCompliant", g.sloCompliant());
    health.put("fair", g.fair());
    health.put("rebalanceStable", g.rebalanceStable());
    health.put("stuckPartitions", g.stuckPartitions().size());
    health.put("coverage", g.coverage());
    health.put("recommendation", g.recommendation().message());
    return health;
  }

  private Map<String, Object> topicConsumers(String topic, String cluster) {
    List<Map<String, Object>> consumers = new ArrayList<>();
    for (PolicyView view : views(cluster)) {
      for (GroupEvaluation g : view.groups()) {
        if (!g.topics().contains(topic)) {
          continue;
        }
        long lag =
            g.partitions().stream()
                .filter(p -> p.ref().topic().equals(topic))
                .mapToLong(PartitionLag::lag)
                .sum();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("cluster", view.cluster());
        entry.put("group", g.groupId());
        entry.put("state", g.state());
        entry.put("members", g.members());
        entry.put("lag", lag);
        entry.put("health", GroupHealth.of(g));
        consumers.add(entry);
      }
    }
    return Map.of("topic", topic, "consumers", consumers);
  }

  private Map<String, Object> topicDetail(String topic, String cluster) {
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (PolicyView view : views(cluster)) {
      for (GroupEvaluation g : view.groups()) {
        for (PartitionLag p : g.partitions()) {
          if (!p.ref().topic().equals(topic)) {
            continue;
          }
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("cluster", view.cluster());
          entry.put("group", g.groupId());
          entry.put("partition", p.ref().partition());
          entry.put("lag", p.lag());
          entry.put("lagSeconds", p.lagSeconds());
          entry.put("committedOffset", p.committedOffset());
          entry.put("owner", p.owner());
          partitions.add(entry);
        }
      }
    }
    if (partitions.isEmpty()) {
      return Map.of(
          "topic", topic, "partitions", List.of(), "note", "no governed group consumes this topic");
    }
    return Map.of("topic", topic, "partitions", partitions);
  }

  // --- /api/v1/events (Redis Streams sources of LagMonitors) --------------------------------

  HttpReply events(HttpCall call) {
    List<String> path = segments(call.path(), EVENTS);
    if (path.equals(List.of("consumer-lag"))) {
      return ok(Map.of("sources", redisSources()));
    }
    if (path.equals(List.of("streams"))) {
      Map<String, List<Map<String, Object>>> byStream = new LinkedHashMap<>();
      for (Map<String, Object> source : redisSources()) {
        byStream.computeIfAbsent((String) source.get("stream"), s -> new ArrayList<>()).add(source);
      }
      List<Map<String, Object>> streams = new ArrayList<>();
      byStream.forEach((stream, groups) -> streams.add(Map.of("stream", stream, "groups", groups)));
      return ok(Map.of("streams", streams));
    }
    if (path.equals(List.of("health"))) {
      Map<Health, Integer> counts = new LinkedHashMap<>();
      for (Health h : Health.values()) {
        counts.put(h, 0);
      }
      Health worst = Health.healthy;
      for (Map<String, Object> source : redisSources()) {
        Health h = (Health) source.get("health");
        counts.merge(h, 1, Integer::sum);
        worst = h.ordinal() > worst.ordinal() ? h : worst;
      }
      return ok(Map.of("health", worst, "sources", counts));
    }
    return error(404, "no such endpoint: " + call.path());
  }

  private List<Map<String, Object>> redisSources() {
    List<Map<String, Object>> sources = new ArrayList<>();
    for (MonitorView view : store.monitors().values()) {
      for (Source source : view.sources()) {
        if (source.kind() != Kind.redis) {
          continue;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("lagmonitor", view.monitor());
        entry.put("stream", source.name());
        entry.put("group", source.group());
        entry.put("lag", source.lag());
        entry.put("health", source.health());
        entry.put("consumers", source.consumers() == null ? List.of() : source.consumers());
        if (source.error() != null) {
          entry.put("error", source.error());
        }
        if (source.note() != null) {
          entry.put("note", source.note());
        }
        entry.put("checkedAt", view.checkedAt());
        sources.add(entry);
      }
    }
    return sources;
  }

  // --- WS /ws/consumers/groups/{group}/live -------------------------------------------------

  LiveFeed live(HttpCall call) {
    List<String> path = segments(call.path(), LIVE);
    if (path.size() != 2 || !path.get(1).equals("live")) {
      throw new NoSuchElementException("no such endpoint: " + call.path());
    }
    String groupId = path.get(0);
    String cluster = call.param("cluster", null);
    String resolved = locate(groupId, cluster).view().cluster();
    long seconds;
    try {
      seconds = Long.parseLong(call.param("interval", "10"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("interval must be a number of seconds");
    }
    if (seconds < 1 || seconds > 300) {
      throw new IllegalArgumentException("interval must be between 1 and 300 seconds");
    }
    return new LiveFeed(
        Duration.ofSeconds(seconds),
        () -> {
          try {
            return write(groupDetail(groupId, resolved));
          } catch (NoSuchElementException e) {
            return write(Map.of("error", e.getMessage()));
          }
        });
  }

  // --- helpers ------------------------------------------------------------------------------

  private record Located(PolicyView view, GroupEvaluation group) {}

  private Located locate(String groupId, String cluster) {
    List<Located> found = new ArrayList<>();
    for (PolicyView view : views(cluster)) {
      view.groups().stream()
          .filter(g -> g.groupId().equals(groupId))
          .findFirst()
          .ifPresent(g -> found.add(new Located(view, g)));
    }
    if (found.isEmpty()) {
      throw new NoSuchElementException(
          "no governed group " + groupId + (cluster == null ? "" : " in " + cluster));
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException(
          "group "
              + groupId
              + " is governed in several clusters; add ?cluster= with one of "
              + found.stream().map(l -> l.view().cluster()).toList());
    }
    return found.get(0);
  }

  private List<PolicyView> views(String cluster) {
    if (cluster == null) {
      return List.copyOf(store.policies().values());
    }
    PolicyView view = store.policies().get(cluster);
    if (view == null) {
      throw new NoSuchElementException(
          "no ConsumerGroupPolicy " + cluster + " is evaluated by this operator");
    }
    return List.of(view);
  }

  private static Map<String, Object> summary(GroupEvaluation g) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("groupId", g.groupId());
    summary.put("state", g.state());
    summary.put("members", g.members());
    summary.put("assignor", g.assignor());
    summary.put("topics", g.topics());
    summary.put("lag", g.lag());
    summary.put("lagSeconds", g.lagSeconds());
    summary.put("sloCompliance", g.sloCompliance());
    summary.put("fairnessGini", g.fairnessGini());
    summary.put("rebalanceScore", g.rebalanceScore());
    summary.put("stuckPartitions", g.stuckPartitions().size());
    summary.put("coverage", g.coverage());
    summary.put("health", GroupHealth.of(g));
    summary.put("recommendation", g.recommendation().message());
    return summary;
  }

  private static List<String> segments(String path, String prefix) {
    String rest = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
    List<String> segments = new ArrayList<>();
    for (String segment : rest.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return segments;
  }

  private HttpReply ok(Object body) {
    return HttpReply.json(200, write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private HttpReply error(int status, String message) {
    return HttpReply.json(
        status, write(Map.of("error", message)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dashboard() {
    try (InputStream in = InsightApi.class.getResourceAsStream("dashboard.html")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
