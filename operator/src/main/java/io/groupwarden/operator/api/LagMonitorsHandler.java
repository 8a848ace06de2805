package io.groupwarden.operator.api;

import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import io.groupwarden.operator.api.view.ConsumerView;
import io.groupwarden.operator.api.view.LagMonitorView;
import io.groupwarden.operator.api.view.LagMonitorView.SourceView;
import io.groupwarden.operator.api.view.LagMonitorView.TrendPoints;
import io.groupwarden.operator.api.view.LagMonitorsView;
import io.groupwarden.operator.api.view.ThresholdsView;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.MonitorView;
import io.groupwarden.operator.insight.SourceTrend;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/v1/lagmonitors}: every LagMonitor's sources with lag, health and trend. */
record LagMonitorsHandler(InsightStore store) {
  Response list(Request request) {
    return Response.json(
        new LagMonitorsView(store.monitors().values().stream().map(this::view).toList()));
  }

  Response detail(Request request) {
    String name = request.pathParam("namespace") + "/" + request.pathParam("name");
    MonitorView monitor = store.monitors().get(name);
    if (monitor == null) {
      throw HttpError.notFound("no LagMonitor " + name + " is checked by this operator");
    }
    return Response.json(view(monitor));
  }

  private LagMonitorView view(MonitorView monitor) {
    HealthTally<Health> health = new HealthTally<>(Health.class);
    long total = 0;
    long max = 0;
    List<SourceView> sources = new ArrayList<>();
    for (Source s : monitor.sources()) {
      health.add(s.health());
      if (s.lag() != null && s.lag() >= 0) {
        total += s.lag();
        max = Math.max(max, s.lag());
      }
      SourceTrend trend = store.sourceTrend(monitor.monitor(), s).orElse(null);
      List<Long> times = new ArrayList<>();
      List<Long> lags = new ArrayList<>();
      if (trend != null) {
        for (SourceTrend.Point p : trend.points()) {
          times.add(p.timeMillis());
          lags.add(p.lag());
        }
      }
      sources.add(
          new SourceView(
              s.kind().name(),
              s.name(),
              s.group(),
              s.lag(),
              s.health().name(),
              ConsumerView.of(s),
              s.error(),
              s.note(),
              new TrendPoints(times, lags),
              trend == null ? null : trend.direction()));
    }
    return new LagMonitorView(
        monitor.monitor(),
        monitor.checkedAt(),
        health.worst().name(),
        total,
        max,
        health.counts(),
        new ThresholdsView(monitor.thresholds().degraded(), monitor.thresholds().unhealthy()),
        sources);
  }
}
