package io.groupwarden.operator.lagmonitor;

import static io.groupwarden.operator.metrics.MetricNames.*;

import io.groupwarden.operator.common.SecretValues;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorSpec.RedisSource;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Consumer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.lagmonitor.redis.RedisEndpoint;
import io.groupwarden.operator.lagmonitor.redis.RedisEndpoints;
import io.groupwarden.operator.lagmonitor.redis.RedisStreamsCollector;
import io.groupwarden.operator.lagmonitor.redis.StreamGroupLag;
import io.groupwarden.operator.lagmonitor.redis.StreamInfo;
import io.groupwarden.operator.metrics.GaugeSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Redis Streams sources of a LagMonitor: one per stream and group. */
record RedisSources(
    RedisEndpoints endpoints, RedisStreamsCollector collector, SecretValues secrets) {
  List<Source> check(
      String owner,
      String namespace,
      String monitor,
      RedisSource spec,
      LagHealth health,
      List<GaugeSample> metrics,
      Map<String, StreamInfo> streams) {
    String field = spec.uri() != null ? "spec.redis.uri" : "spec.redis.uriSecretRef";
    String uri =
        spec.uri() != null ? spec.uri() : secrets.read(namespace, spec.uriSecretRef(), field);
    if (spec.streams() == null || spec.streams().isEmpty()) {
      throw SpecProblem.invalid("spec.redis.streams", "name at least one stream");
    }
    RedisEndpoint endpoint;
    try {
      RedisEndpoint.parse(uri);
      endpoint = endpoints.acquire(owner, uri);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid(field, e.getMessage());
    }
    List<String> groups = spec.groups() == null ? List.of() : spec.groups();
    List<Source> sources = new ArrayList<>();
    RedisStreamsCollector.Collection collection =
        collector.collect(endpoint, spec.streams(), groups);
    streams.putAll(collection.streams());
    for (StreamGroupLag lag : collection.lags()) {
      List<Consumer> consumers =
          lag.consumers().stream()
              .map(c -> new Consumer(c.name(), c.pending(), c.idleMs()))
              .toList();
      String error = lag.error() == null ? null : "cannot read " + endpoint + ": " + lag.error();
      sources.add(
          new Source(
              Kind.redis,
              lag.stream(),
              lag.group(),
              lag.lag(),
              consumers.isEmpty() ? null : consumers,
              health.of(lag.lag()),
              error,
              lag.note()));
      if (lag.lag() != null && lag.lag() >= 0 && !lag.group().isEmpty()) {
        metrics.add(
            new GaugeSample(
                REDIS_STREAM_LAG,
                "Entries of a Redis stream not yet delivered to a consumer group",
                Map.of(
                    NAMESPACE,
                    namespace,
                    LAGMONITOR,
                    monitor,
                    STREAM,
                    lag.stream(),
                    CONSUMER_GROUP,
                    lag.group()),
                lag.lag()));
      }
    }
    return sources;
  }
}
