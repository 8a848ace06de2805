package io.groupwarden.operator.api;

import io.groupwarden.http.Response;
import io.groupwarden.operator.api.view.StreamGroupsView;
import io.groupwarden.operator.api.view.StreamGroupsView.EntryView;
import io.groupwarden.operator.api.view.StreamSourceView;
import io.groupwarden.operator.api.view.StreamSourcesView;
import io.groupwarden.operator.api.view.StreamSourcesView.StreamLagView;
import io.groupwarden.operator.api.view.StreamsHealthView;
import io.groupwarden.operator.api.view.StreamsHealthView.MonitorThresholdsView;
import io.groupwarden.operator.api.view.StreamsView;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.MonitorView;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.lagmonitor.redis.StreamInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/events}: the Redis Streams sources of the LagMonitors, by group, by stream, and
 * their overall health, with the fields and thresholds the Redis Streams lag service reported.
 * Kafka sources are served under {@code /api/v1/consumers} and {@code /api/v1/lagmonitors} instead.
 */
record StreamEventsHandler(InsightStore store) {
  Response consumerLag() {
    List<StreamSourceView> sources = sources();
    Map<String, StreamLagView> streams = new LinkedHashMap<>();
    Map<String, List<StreamSourceView>> byStream = byStream(sources);
    byStream.forEach(
        (stream, groups) -> {
          long lag = 0;
          boolean unreachable = false;
          Set<String> consumers = new LinkedHashSet<>();
          Map<String, Long> groupLags = new LinkedHashMap<>();
          for (StreamSourceView g : groups) {
            if (g.lag() != null && g.lag() >= 0) {
              lag += g.lag();
            } else if (g.lag() != null) {
              unreachable = true;
            }
            g.consumers().forEach(c -> consumers.add(c.name()));
            groupLags.put(g.group(), g.lag());
          }
          streams.put(
              stream,
              new StreamLagView(
                  unreachable && lag == 0 ? -1 : lag, List.copyOf(consumers), groupLags));
        });
    return Response.json(
        new StreamSourcesView(
            sources,
            streams,
            totalLag(sources),
            maxLag(sources),
            streams.size(),
            redisConnected(sources)));
  }

  Response streams() {
    Map<String, StreamInfo> infos = new LinkedHashMap<>();
    for (MonitorView monitor : store.monitors().values()) {
      monitor.streams().forEach(infos::putIfAbsent);
    }
    List<StreamGroupsView> streams = new ArrayList<>();
    byStream(sources())
        .forEach(
            (stream, groups) -> {
              StreamInfo info = infos.get(stream);
              streams.add(
                  new StreamGroupsView(
                      stream,
                      groups,
                      info == null ? null : info.length(),
                      info == null ? null : info.lastGeneratedId(),
                      info == null ? null : entry(info.firstEntryId()),
                      info == null ? null : entry(info.lastEntryId()),
                      info == null ? null : info.entriesAdded()));
            });
    return Response.json(new StreamsView(streams));
  }

  Response health() {
    List<StreamSourceView> sources = sources();
    Map<String, Integer> counts = counts();
    Health worst = Health.healthy;
    for (StreamSourceView source : sources) {
      Health health = Health.valueOf(source.health());
      counts.merge(health.name(), 1, Integer::sum);
      worst = health.ordinal() > worst.ordinal() ? health : worst;
    }
    Map<String, Integer> streams = counts();
    byStream(sources)
        .forEach(
            (stream, groups) -> {
              Health streamWorst = Health.healthy;
              for (StreamSourceView g : groups) {
                Health h = Health.valueOf(g.health());
                streamWorst = h.ordinal() > streamWorst.ordinal() ? h : streamWorst;
              }
              streams.merge(streamWorst.name(), 1, Integer::sum);
            });
    List<MonitorThresholdsView> thresholds = new ArrayList<>();
    for (MonitorView monitor : store.monitors().values()) {
      Health monitorWorst = null;
      for (Source s : monitor.sources()) {
        if (s.kind() == Kind.redis) {
          monitorWorst =
              monitorWorst == null || s.health().ordinal() > monitorWorst.ordinal()
                  ? s.health()
                  : monitorWorst;
        }
      }
      if (monitorWorst != null) {
        thresholds.add(
            new MonitorThresholdsView(
                monitor.monitor(),
                monitor.thresholds().degraded(),
                monitor.thresholds().unhealthy(),
                monitorWorst.name()));
      }
    }
    return Response.json(
        new StreamsHealthView(
            worst.name(),
            counts,
            worst.name(),
            redisConnected(sources),
            "redis_streams",
            streams,
            maxLag(sources),
            totalLag(sources),
            thresholds));
  }

  private static Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Health h : Health.values()) {
      counts.put(h.name(), 0);
    }
    return counts;
  }

  private static EntryView entry(String id) {
    if (id == null) {
      return null;
    }
    Long millis = StreamInfo.idTimeMillis(id);
    return new EntryView(id, millis == null ? null : Instant.ofEpochMilli(millis));
  }

  private static Map<String, List<StreamSourceView>> byStream(List<StreamSourceView> sources) {
    Map<String, List<StreamSourceView>> byStream = new LinkedHashMap<>();
    for (StreamSourceView source : sources) {
      byStream.computeIfAbsent(source.stream(), s -> new ArrayList<>()).add(source);
    }
    return byStream;
  }

  private static long totalLag(List<StreamSourceView> sources) {
    return sources.stream()
        .filter(s -> s.lag() != null && s.lag() >= 0)
        .mapToLong(StreamSourceView::lag)
        .sum();
  }

  private static long maxLag(List<StreamSourceView> sources) {
    return sources.stream()
        .filter(s -> s.lag() != null && s.lag() >= 0)
        .mapToLong(StreamSourceView::lag)
        .max()
        .orElse(0);
  }

  /** Connected when every source was read: an unreachable source has lag -1 and an error. */
  private static boolean redisConnected(List<StreamSourceView> sources) {
    return !sources.isEmpty()
        && sources.stream().noneMatch(s -> s.error() != null && Long.valueOf(-1).equals(s.lag()));
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
