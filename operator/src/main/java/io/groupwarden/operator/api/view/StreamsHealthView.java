package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/events/health}: the health of the Redis Streams sources, under the names the
 * Redis Streams lag service used, with the thresholds behind it.
 *
 * @param health the worst source's health: {@code healthy}, {@code degraded} or {@code unhealthy}
 * @param sources how many sources are in each health, every class named even when none is
 * @param status the same as {@code health}
 * @param redisConnected whether every Redis server could be read; false when there is none
 * @param transportMode always {@code redis_streams}
 * @param streams how many streams are in each health (a stream's worst group), every class named
 * @param maxLag the largest known lag of one source
 * @param totalLag lag summed over the sources whose lag is known
 * @param thresholds each LagMonitor's thresholds and health
 */
public record StreamsHealthView(
    String health,
    Map<String, Integer> sources,
    String status,
    @JsonProperty("redis_connected") boolean redisConnected,
    @JsonProperty("transport_mode") String transportMode,
    Map<String, Integer> streams,
    @JsonProperty("max_lag") long maxLag,
    @JsonProperty("total_lag") long totalLag,
    List<MonitorThresholdsView> thresholds) {

  /** One LagMonitor's thresholds and the health of its Redis sources. */
  public record MonitorThresholdsView(
      String lagmonitor, long degraded, long unhealthy, String health) {}
}
