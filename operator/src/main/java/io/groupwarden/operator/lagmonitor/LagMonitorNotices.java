package io.groupwarden.operator.lagmonitor;

import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events for health transitions of a LagMonitor's sources, found by comparing the status before
 * with the status after: a source that stays degraded is reported once.
 */
final class LagMonitorNotices {
  static final String LAG_DEGRADED = "LagDegraded";
  static final String LAG_UNHEALTHY = "LagUnhealthy";
  static final String LAG_RECOVERED = "LagRecovered";
  static final String SOURCE_UNREACHABLE = "SourceUnreachable";

  private LagMonitorNotices() {}

  static List<Notice> between(LagMonitorStatus before, LagMonitorStatus after) {
    List<Notice> notices = new ArrayList<>();
    if (after == null || after.sources() == null || after.lastCheckTime() == null) {
      return notices;
    }
    if (before != null
        && before.lastCheckTime() != null
        && before.lastCheckTime().equals(after.lastCheckTime())) {
      return notices; // nothing was checked this time (the spec is invalid)
    }
    Map<String, Source> previous = new HashMap<>();
    if (before != null && before.sources() != null) {
      before.sources().forEach(s -> previous.put(LagMonitorStatusWriter.key(s), s));
    }
    for (Source now : after.sources()) {
      String key = LagMonitorStatusWriter.key(now);
      Source then = previous.get(key);
      boolean wasUnreachable = then != null && then.error() != null;
      Health was = then == null ? Health.healthy : then.health();
      if (now.error() != null) {
        if (!wasUnreachable) {
          notices.add(Notice.warning(SOURCE_UNREACHABLE, key + ": " + now.error()));
        }
        continue;
      }
      String lag = now.lag() == null ? "unknown" : String.valueOf(now.lag());
      if (now.health() == Health.unhealthy && (was != Health.unhealthy || wasUnreachable)) {
        notices.add(Notice.warning(LAG_UNHEALTHY, key + ": lag " + lag + " is unhealthy"));
      } else if (now.health() == Health.degraded && (was != Health.degraded || wasUnreachable)) {
        notices.add(Notice.warning(LAG_DEGRADED, key + ": lag " + lag + " is degraded"));
      } else if (now.health() == Health.healthy && (was != Health.healthy || wasUnreachable)) {
        notices.add(Notice.normal(LAG_RECOVERED, key + ": lag " + lag + " is healthy again"));
      }
    }
    return notices;
  }
}
