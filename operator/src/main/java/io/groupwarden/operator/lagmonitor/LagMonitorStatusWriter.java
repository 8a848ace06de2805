package io.groupwarden.operator.lagmonitor;

import static io.groupwarden.operator.common.ConditionedStatus.conditionsOf;

import io.groupwarden.operator.common.Conditions;
import io.groupwarden.operator.common.Rfc3339;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds a LagMonitor's status from its checked sources: a pure function. */
final class LagMonitorStatusWriter {
  static final String READY = Conditions.READY;
  static final String SOURCES_REACHABLE = "SourcesReachable";

  private LagMonitorStatusWriter() {}

  static LagMonitorStatus checked(
      LagMonitorStatus before, long generation, List<Source> sources, Instant now) {
    List<Source> sorted = new ArrayList<>(sources);
    sorted.sort(
        Comparator.comparing((Source s) -> s.kind().name())
            .thenComparing(Source::name)
            .thenComparing(Source::group));
    long total = 0;
    long max = 0;
    int healthy = 0;
    int degraded = 0;
    int unhealthy = 0;
    Health worst = Health.healthy;
    List<String> unreachable = new ArrayList<>();
    for (Source source : sorted) {
      if (source.lag() != null && source.lag() >= 0) {
        total += source.lag();
        max = Math.max(max, source.lag());
      }
      switch (source.health()) {
        case healthy -> healthy++;
        case degraded -> degraded++;
        case unhealthy -> unhealthy++;
      }
      worst = LagHealth.worst(worst, source.health());
      if (source.error() != null) {
        unreachable.add(key(source));
      }
    }
    Conditions conditions = new Conditions(conditionsOf(before), generation, now);
    conditions.isTrue(
        READY, "Checked", sorted.size() + " source(s) checked at " + Rfc3339.seconds(now));
    conditions.set(
        SOURCES_REACHABLE,
        unreachable.isEmpty(),
        unreachable.isEmpty() ? "AllReachable" : "SourceUnreachable",
        unreachable.isEmpty()
            ? "every source answered"
            : "cannot read " + String.join(", ", unreachable));
    return new LagMonitorStatus(
        generation,
        conditions.build(),
        sorted,
        sorted.size(),
        total,
        max,
        healthy,
        degraded,
        unhealthy,
        worst,
        Rfc3339.seconds(now));
  }

  static LagMonitorStatus failed(
      LagMonitorStatus before, long generation, String reason, String message, Instant now) {
    Conditions conditions =
        Conditions.notReady(conditionsOf(before), generation, now, reason, message);
    Conditions.find(conditionsOf(before), SOURCES_REACHABLE).ifPresent(conditions::copy);
    if (before == null) {
      return new LagMonitorStatus(
          generation, conditions.build(), null, 0, null, null, null, null, null, null, null);
    }
    return new LagMonitorStatus(
        generation,
        conditions.build(),
        before.sources(),
        before.sourceCount(),
        before.totalLag(),
        before.maxLag(),
        before.healthy(),
        before.degraded(),
        before.unhealthy(),
        before.health(),
        before.lastCheckTime());
  }

  /** How a source is named in messages: kind:name/group. */
  static String key(Source source) {
    return source.kind()
        + ":"
        + (source.name().isEmpty() ? "" : source.name() + "/")
        + source.group();
  }
}
