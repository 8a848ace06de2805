package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import io.groupwarden.operator.api.view.StreamGroupsView;
import io.groupwarden.operator.api.view.StreamSourceView;
import io.groupwarden.operator.api.view.StreamSourcesView;
import io.groupwarden.operator.api.view.StreamsHealthView;
import io.groupwarden.operator.api.view.StreamsView;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.MonitorView;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/events}: the Redis Streams sources of the LagMonitors, by group, by stream, and
 * their overall health. Kafka sources are served under {@code /api/v1/consumers} instead.
 */
final class StreamEventsHandler {
  private final InsightStore store;

  StreamEventsHandler(InsightStore store) {
    this.store = store;
  }

  Response consumerLag() {
    return Response.json(new StreamSourcesView(sources()));
  }

  Response streams() {
    Map<String, List<StreamSourceView>> byStream = new LinkedHashMap<>();
    for (StreamSourceView source : sources()) {
      byStream.computeIfAbsent(source.stream(), s -> new ArrayList<>()).add(source);
    }
    List<StreamGroupsView> streams = new ArrayList<>();
    byStream.forEach((stream, groups) -> streams.add(new StreamGroupsView(stream, groups)));
    return Response.json(new StreamsView(streams));
  }

  Response health() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Health h : Health.values()) {
      counts.put(h.name(), 0);
    }
    Health worst = Health.healthy;
    for (StreamSourceView source : sources()) {
      Health health = Health.valueOf(source.health());
      counts.merge(health.name(), 1, Integer::sum);
      worst = health.ordinal() > worst.ordinal() ? health : worst;
    }
    return Response.json(new StreamsHealthView(worst.name(), counts));
  }

  private List<StreamSourceView> sources() {
    List<StreamSourceView> views = new ArrayList<>();
    for (MonitorView monitor : store.monitors().values()) {
      for (Source source : monitor.sources()) {
        if (source.kind() == Kind.redis) {
          views.add(StreamSourceView.of(monitor, source));
        }
      }
    }
    return views;
  }
}
