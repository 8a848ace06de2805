package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A LagMonitor's latest check: Kafka and Redis Streams sources with their lag, health and trend.
 *
 * @param lagmonitor {@code namespace/name}
 * @param health the worst source's health
 * @param totalLag lag summed over the sources whose lag is known
 * @param maxLag the largest known lag
 * @param sourcesByHealth how many sources are in each health, every class named
 */
public record LagMonitorView(
    String lagmonitor,
    Instant checkedAt,
    String health,
    long totalLag,
    long maxLag,
    Map<String, Integer> sourcesByHealth,
    ThresholdsView thresholds,
    List<SourceView> sources) {

  /**
   * One source.
   *
   * @param kind {@code kafka} or {@code redis}
   * @param name the topic or stream
   * @param lag lag in messages; -1 when unreachable; null when unknown
   * @param trend the lag at the latest checks, oldest first
   * @param direction {@code rising}, {@code falling} or {@code flat}; null while too few checks
   */
  public record SourceView(
      String kind,
      String name,
      String group,
      Long lag,
      String health,
      List<ConsumerView> consumers,
      @JsonInclude(JsonInclude.Include.NON_NULL) String error,
      @JsonInclude(JsonInclude.Include.NON_NULL) String note,
      TrendPoints trend,
      String direction) {}

  /**
   * Check times (epoch milliseconds) and the lag at each; -1 where it was unreachable or unknown.
   */
  public record TrendPoints(List<Long> times, List<Long> lag) {}
}
