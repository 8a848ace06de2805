package io.groupwarden.operator.lagmonitor;

import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.common.ReconcilerServices;
import io.groupwarden.operator.common.ResourceMeta;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.common.StatusPatch;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.insight.InsightStore.Thresholds;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorSpec;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.lagmonitor.redis.RedisEndpoints;
import io.groupwarden.operator.lagmonitor.redis.RedisStreamsCollector;
import io.groupwarden.operator.lagmonitor.redis.StreamInfo;
import io.groupwarden.operator.metrics.GaugeSample;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a LagMonitor's sources every {@code spec.interval}: Kafka groups through the shared lag
 * collector, Redis Streams groups through the shared Redis endpoints; classifies each source,
 * writes the status, publishes metrics and records events for health transitions.
 */
@ControllerConfiguration(name = "lagmonitor")
public class LagMonitorReconciler implements Reconciler<LagMonitor>, Cleaner<LagMonitor> {
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final ReconcilerServices services;
  private final KafkaSources kafkaSources;
  private final RedisSources redisSources;

  public LagMonitorReconciler(ReconcilerServices services, RedisEndpoints redis) {
    this.services = services;
    this.kafkaSources =
        new KafkaSources(
            services.kafka(), services.reads(), services.connections(), services.coordinators());
    this.redisSources =
        new RedisSources(
            redis, new RedisStreamsCollector(services.requestTimeout()), services.secrets());
  }

  @Override
  public UpdateControl<LagMonitor> reconcile(LagMonitor monitor, Context<LagMonitor> context) {
    LagMonitorStatus before = monitor.getStatus();
    Instant now = services.clock().instant();
    long generation = ResourceMeta.generation(monitor);
    Duration interval = DEFAULT_INTERVAL;
    LagMonitorStatus after;
    LagHealth health = LagHealth.DEFAULTS;
    try {
      LagMonitorSpec spec = monitor.getSpec();
      interval = interval(spec);
      health = thresholds(spec);
      if (spec.kafka() == null && spec.redis() == null) {
        throw SpecProblem.invalid("spec", "set spec.kafka, spec.redis or both");
      }
      String owner = ResourceMeta.owner(monitor);
      List<Source> sources = new ArrayList<>();
      List<GaugeSample> metrics = new ArrayList<>();
      Map<String, StreamInfo> streams = new LinkedHashMap<>();
      String namespace = monitor.getMetadata().getNamespace();
      String name = monitor.getMetadata().getName();
      if (spec.kafka() != null) {
        sources.addAll(
            kafkaSources.check(
                owner, namespace, name, spec.kafka(), health, metrics, now, interval));
      } else {
        services.kafka().release(owner);
      }
      if (spec.redis() != null) {
        sources.addAll(
            redisSources.check(owner, namespace, name, spec.redis(), health, metrics, streams));
      } else {
        redisSources.endpoints().release(owner);
      }
      after = LagMonitorStatusWriter.checked(before, generation, sources, now);
      services.gauges().publish(owner, metrics);
      services
          .insights()
          .monitor(
              ResourceMeta.namespacedName(monitor),
              now,
              sources,
              new Thresholds(health.degraded(), health.unhealthy()),
              streams);
    } catch (SpecProblem problem) {
      after =
          LagMonitorStatusWriter.failed(
              before, generation, problem.reason(), problem.getMessage(), now);
    }
    for (Notice notice : LagMonitorNotices.between(before, after)) {
      services.events().record(monitor, notice);
    }
    return UpdateControl.patchStatus(StatusPatch.of(monitor, after, LagMonitor::new))
        .rescheduleAfter(interval);
  }

  @Override
  public DeleteControl cleanup(LagMonitor monitor, Context<LagMonitor> context) {
    String owner = ResourceMeta.owner(monitor);
    services.kafka().release(owner);
    redisSources.endpoints().release(owner);
    services.gauges().remove(owner);
    services.insights().removeMonitor(ResourceMeta.namespacedName(monitor));
    return DeleteControl.defaultDelete();
  }

  private static Duration interval(LagMonitorSpec spec) {
    try {
      Duration interval = KubeDuration.parseOr(spec.interval(), DEFAULT_INTERVAL);
      if (interval.toMillis() < 1000) {
        throw SpecProblem.invalid("spec.interval", "must be at least 1s");
      }
      return interval;
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid("spec.interval", e.getMessage());
    }
  }

  private static LagHealth thresholds(LagMonitorSpec spec) {
    LagMonitorSpec.Thresholds thresholds = spec.thresholds();
    if (thresholds == null) {
      return LagHealth.DEFAULTS;
    }
    long degraded = thresholds.degraded() == null ? 100 : thresholds.degraded();
    long unhealthy = thresholds.unhealthy() == null ? 1000 : thresholds.unhealthy();
    try {
      return new LagHealth(degraded, unhealthy);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid("spec.thresholds", e.getMessage());
    }
  }
}
