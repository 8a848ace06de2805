package io.groupwarden.operator.lagmonitor.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.ConditionedStatus;
import java.util.List;

/**
 * Lag and health of every source.
 *
 * @param observedGeneration the spec generation this status is for
 * @param conditions Ready
 * @param sources one entry per (topic or stream, group)
 * @param sourceCount number of sources
 * @param totalLag lag summed over sources with a known lag
 * @param maxLag the largest known lag
 * @param healthy sources that are healthy
 * @param degraded sources that are degraded
 * @param unhealthy sources that are unhealthy (unreachable ones included)
 * @param health the worst source's health
 * @param lastCheckTime when lag was last checked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LagMonitorStatus(
    @JsonPropertyDescription("The spec generation this status reflects.") Long observedGeneration,
    @JsonPropertyDescription("Ready.") List<Condition> conditions,
    @JsonPropertyDescription("One entry per topic or stream and group.") List<Source> sources,
    @JsonPropertyDescription("Number of sources.") Integer sourceCount,
    @JsonPropertyDescription("Lag summed over the sources whose lag is known.") Long totalLag,
    @JsonPropertyDescription("The largest known lag of any source.") Long maxLag,
    @JsonPropertyDescription("Sources that are healthy.") Integer healthy,
    @JsonPropertyDescription("Sources that are degraded.") Integer degraded,
    @JsonPropertyDescription("Sources that are unhealthy, unreachable ones included.")
        Integer unhealthy,
    @JsonPropertyDescription("Health of the worst source.") Health health,
    @JsonPropertyDescription("When lag was last checked (RFC 3339).") String lastCheckTime)
    implements ConditionedStatus {

  /** Health of a source. */
  public enum Health {
    healthy,
    degraded,
    unhealthy
  }

  /** Kind of a source. */
  public enum Kind {
    kafka,
    redis
  }

  /**
   * One topic or stream and group.
   *
   * @param kind kafka or redis
   * @param name topic or stream
   * @param group consumer group
   * @param lag lag in messages; -1 when unreachable; absent when unknown
   * @param consumers the group's consumers
   * @param health healthy, degraded or unhealthy
   * @param error why the source could not be read
   * @param note a remark, e.g. the group does not exist on the stream
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(
      @JsonPropertyDescription("kafka or redis.") Kind kind,
      @JsonPropertyDescription("Topic (Kafka) or stream key (Redis).") String name,
      @JsonPropertyDescription("Consumer group.") String group,
      @JsonPropertyDescription(
              "Lag in messages; -1 when the source is unreachable; absent when Redis cannot tell"
                  + " it exactly.")
          Long lag,
      @JsonPropertyDescription("Consumers of the group.") List<Consumer> consumers,
      @JsonPropertyDescription("healthy, degraded or unhealthy.") Health health,
      @JsonPropertyDescription("Why the source could not be read.") String error,
      @JsonPropertyDescription("A remark, e.g. that the group does not exist on the stream.")
          String note) {}

  /**
   * A consumer of a group.
   *
   * @param name consumer name (Redis) or member/client id (Kafka)
   * @param pending entries delivered but not acknowledged (Redis)
   * @param idleMs milliseconds since the consumer last interacted (Redis)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Consumer(
      @JsonPropertyDescription("Consumer name (Redis) or client id (Kafka).") String name,
      @JsonPropertyDescription("Entries delivered to it but not acknowledged (Redis).")
          Long pending,
      @JsonPropertyDescription("Milliseconds since it last interacted (Redis).") Long idleMs) {}
}
