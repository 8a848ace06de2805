package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.groupwarden.operator.insight.InsightStore.MonitorView;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.time.Instant;
import java.util.List;

/**
 * One Redis stream and group a LagMonitor watches.
 *
 * @param lagmonitor {@code namespace/name} of the LagMonitor
 * @param lag entries not yet delivered; -1 when unreachable; null when Redis cannot tell
 * @param health {@code healthy}, {@code degraded} or {@code unhealthy}
 * @param error why the source could not be read; absent when it could
 * @param note a remark, e.g. that the group does not exist on the stream; absent when none
 * @param checkedAt when the LagMonitor last read its sources
 */
public record StreamSourceView(
    String lagmonitor,
    String stream,
    String group,
    Long lag,
    String health,
    List<ConsumerView> consumers,
    @JsonInclude(JsonInclude.Include.NON_NULL) String error,
    @JsonInclude(JsonInclude.Include.NON_NULL) String note,
    Instant checkedAt) {

  public static StreamSourceView of(MonitorView monitor, Source source) {
    return new StreamSourceView(
        monitor.monitor(),
        source.name(),
        source.group(),
        source.lag(),
        source.health().name(),
        ConsumerView.of(source),
        source.error(),
        source.note(),
        monitor.checkedAt());
  }
}
