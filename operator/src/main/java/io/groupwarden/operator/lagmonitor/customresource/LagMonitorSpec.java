package io.groupwarden.operator.lagmonitor.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.ResourceRef;
import io.groupwarden.operator.common.SecretKeyRef;
import java.util.List;

/**
 * The sources a LagMonitor watches and how it classifies them.
 *
 * @param kafka Kafka consumer groups
 * @param redis Redis Streams consumer groups
 * @param interval the check period
 * @param thresholds lag bounds of the health classes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.kafka) || has(self.redis)",
    message = "set spec.kafka, spec.redis or both")
public record LagMonitorSpec(
    @JsonPropertyDescription("Kafka consumer groups to watch.") KafkaSource kafka,
    @JsonPropertyDescription("Redis Streams consumer groups to watch.") RedisSource redis,
    @JsonPropertyDescription("How often lag is checked, e.g. 10s. Default 10s.")
        @Pattern(KubeDuration.PATTERN)
        @Default("10s")
        String interval,
    @JsonPropertyDescription("Lag bounds of the health classes.") Thresholds thresholds) {

  /**
   * Kafka consumer groups.
   *
   * @param bootstrapServers an existing cluster
   * @param policyRef or the coordinator broker a ConsumerGroupPolicy manages
   * @param tls TLS to an existing cluster
   * @param sasl SASL to an existing cluster
   * @param groups group ids
   * @param groupPattern or a regular expression
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.bootstrapServers) != has(self.policyRef)",
      message = "set exactly one of spec.kafka.bootstrapServers and spec.kafka.policyRef")
  @ValidationRule(
      value = "has(self.groups) != has(self.groupPattern)",
      message = "set exactly one of spec.kafka.groups and spec.kafka.groupPattern")
  public record KafkaSource(
      @JsonPropertyDescription("Comma-separated host:port pairs of an existing Kafka cluster.")
          @Pattern("^[^,\\s]+:[0-9]{1,5}(,[^,\\s]+:[0-9]{1,5})*$")
          String bootstrapServers,
      @JsonPropertyDescription(
              "A ConsumerGroupPolicy whose managed coordinator broker to use"
                  + " (status.coordinator.bootstrapServers).")
          ResourceRef policyRef,
      @JsonPropertyDescription("TLS to the existing cluster.") KafkaTls tls,
      @JsonPropertyDescription("SASL authentication to the existing cluster.") KafkaSasl sasl,
      @JsonPropertyDescription("Consumer group ids.") @Size(min = 1) List<String> groups,
      @JsonPropertyDescription("Regular expression (Java syntax) group ids must match entirely.")
          @Size(min = 1)
          String groupPattern) {}

  /**
   * Redis Streams consumer groups.
   *
   * @param uri a redis:// or rediss:// URI without credentials
   * @param uriSecretRef or the URI from a Secret
   * @param streams the streams
   * @param groups the groups to check on each stream; every group of the stream when empty
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.uri) != has(self.uriSecretRef)",
      message = "set exactly one of spec.redis.uri and spec.redis.uriSecretRef")
  public record RedisSource(
      @JsonPropertyDescription(
              "redis:// or rediss:// URI (host, port, database index). Put URIs with a password"
                  + " in a Secret and use uriSecretRef.")
          @Pattern("^rediss?://.+$")
          String uri,
      @JsonPropertyDescription("Secret key holding the redis:// or rediss:// URI.")
          SecretKeyRef uriSecretRef,
      @JsonPropertyDescription("Stream keys to watch.") @Required @Size(min = 1)
          List<String> streams,
      @JsonPropertyDescription(
              "Consumer groups to check on each stream. Every group of each stream when empty.")
          List<String> groups) {}

  /**
   * Lag bounds: healthy up to {@code degraded}, degraded up to {@code unhealthy}, unhealthy above.
   *
   * @param degraded the highest healthy lag
   * @param unhealthy the highest degraded lag
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.degraded) || !has(self.unhealthy) || self.degraded < self.unhealthy",
      message = "spec.thresholds.degraded must be below spec.thresholds.unhealthy")
  public record Thresholds(
      @JsonPropertyDescription(
              "Lag above this many messages is degraded (up to it is healthy). Default 100.")
          @Min(0)
          @Default("100")
          Long degraded,
      @JsonPropertyDescription("Lag above this many messages is unhealthy. Default 1000.")
          @Min(0)
          @Default("1000")
          Long unhealthy) {}
}
