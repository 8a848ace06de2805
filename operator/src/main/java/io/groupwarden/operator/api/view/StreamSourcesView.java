package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/events/consumer-lag}: every Redis stream and group, one entry each, and the
 * totals the Redis Streams lag service reported under its own names.
 *
 * @param sources one entry per stream and group
 * @param streams per stream: lag summed over its groups, their consumers, each group's lag
 * @param totalLag lag summed over the sources whose lag is known
 * @param maxLag the largest known lag of one source
 * @param streamCount how many streams
 * @param redisConnected whether every Redis server could be read; false when there is none
 */
public record StreamSourcesView(
    List<StreamSourceView> sources,
    Map<String, StreamLagView> streams,
    @JsonProperty("total_lag") long totalLag,
    @JsonProperty("max_lag") long maxLag,
    @JsonProperty("stream_count") int streamCount,
    @JsonProperty("redis_connected") boolean redisConnected) {

  /**
   * One stream's lag.
   *
   * @param lag lag summed over its groups whose lag is known; -1 when unreachable
   * @param consumers the names of the consumers of its groups
   * @param groups each group's lag (null when unknown)
   */
  public record StreamLagView(long lag, List<String> consumers, Map<String, Long> groups) {}
}
