package io.groupwarden.operator.sink.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.ResourceRef;
import io.groupwarden.operator.common.SecretKeyRef;

/**
 * The desired sink.
 *
 * @param kafka where to consume from
 * @param mongodb where to write to
 * @param batch batching, commits and retries
 * @param onStoreOutage what workers do while MongoDB is unreachable
 * @param replicas a fixed worker count (what the scale subresource, an HPA or KEDA writes)
 * @param autoscale lag-driven worker count within bounds
 * @param image the worker image
 * @param resources CPU and memory of each worker
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MongoSinkSpec(
    @JsonPropertyDescription("The topic to consume and how to reach Kafka.") @Required
        SinkKafkaSpec kafka,
    @JsonPropertyDescription("The MongoDB collection to write to.") @Required MongoSpec mongodb,
    @JsonPropertyDescription("Batching, offset commits and retries of the workers.")
        BatchSpec batch,
    @JsonPropertyDescription(
            "While MongoDB is unreachable: pause (stop consuming until it is back; nothing moves)"
                + " or dead-letter (send the batch to the dead-letter topic after the retries)."
                + " Default pause.")
        @Default("pause")
        StoreOutage onStoreOutage,
    @JsonPropertyDescription(
            "Fixed number of workers; what the scale subresource, an HPA or KEDA set. Without it"
                + " the operator runs one worker per partition, or follows autoscale. Never above"
                + " the partition count.")
        @SpecReplicas
        @Min(0)
        Integer replicas,
    @JsonPropertyDescription("Scale the workers on lag within bounds, when replicas is not set.")
        SinkAutoscaleSpec autoscale,
    @JsonPropertyDescription("Worker container image. The operator's default when absent.")
        String image,
    @JsonPropertyDescription("CPU and memory requests and limits of each worker.")
        ResourceRequirements resources) {

  /** What workers do while MongoDB is unreachable. */
  public enum StoreOutage {
    @JsonProperty("pause")
    PAUSE,
    @JsonProperty("dead-letter")
    DEAD_LETTER;

    /** The value the worker's environment expects. */
    public String value() {
      return this == PAUSE ? "pause" : "dead-letter";
    }
  }

  /**
   * The Kafka side.
   *
   * @param bootstrapServers an existing cluster
   * @param policyRef or the coordinator broker a ConsumerGroupPolicy manages
   * @param tls TLS to an existing cluster
   * @param sasl SASL to an existing cluster
   * @param topic the topic to consume
   * @param groupId the consumer group; the resource name when absent
   * @param deadLetterTopic where poison messages go; {@code <topic>.dlq} when absent
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.bootstrapServers) != has(self.policyRef)",
      message = "set exactly one of spec.kafka.bootstrapServers and spec.kafka.policyRef")
  public record SinkKafkaSpec(
      @JsonPropertyDescription("Comma-separated host:port pairs of an existing Kafka cluster.")
          @Pattern("^[^,\\s]+:[0-9]{1,5}(,[^,\\s]+:[0-9]{1,5})*$")
          String bootstrapServers,
      @JsonPropertyDescription(
              "A ConsumerGroupPolicy whose managed coordinator broker to use"
                  + " (status.coordinator.bootstrapServers).")
          ResourceRef policyRef,
      @JsonPropertyDescription("TLS to the existing cluster.") KafkaTls tls,
      @JsonPropertyDescription("SASL authentication to the existing cluster.") KafkaSasl sasl,
      @JsonPropertyDescription("Topic to consume.") @Required @Pattern("^[a-zA-Z0-9._-]{1,249}$")
          String topic,
      @JsonPropertyDescription("Consumer group id. The resource name when absent.")
          @Pattern("^[a-zA-Z0-9._-]{1,249}$")
          String groupId,
      @JsonPropertyDescription("Dead-letter topic for poison messages. <topic>.dlq when absent.")
          @Pattern("^[a-zA-Z0-9._-]{1,249}$")
          String deadLetterTopic) {}

  /**
   * The MongoDB side.
   *
   * @param uriSecretRef the connection string, from a Secret
   * @param database the database
   * @param collection the collection
   * @param writeConcern the write concern
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MongoSpec(
      @JsonPropertyDescription(
              "Secret key holding the MongoDB connection string (mongodb:// or mongodb+srv://).")
          @Required
          SecretKeyRef uriSecretRef,
      @JsonPropertyDescription("Database name.") @Required @Pattern("^[^/\\\\. \"$]{1,63}$")
          String database,
      @JsonPropertyDescription("Collection name.") @Required @Pattern("^[^$]{1,255}$")
          String collection,
      @JsonPropertyDescription(
              "Write concern of inserts: majority, w1 (primary only) or journaled. Default"
                  + " majority.")
          @Default("majority")
          WriteConcern writeConcern) {}

  /** MongoDB write concerns the workers support. */
  public enum WriteConcern {
    @JsonProperty("majority")
    MAJORITY,
    @JsonProperty("w1")
    W1,
    @JsonProperty("journaled")
    JOURNALED;

    /** The value the worker's environment expects. */
    public String value() {
      return name().toLowerCase();
    }
  }

  /**
   * Batching, commits and retries.
   *
   * @param size documents per insert
   * @param commitEvery messages between offset commits at most
   * @param maxRetries retries of a failed write before isolating the failing documents
   * @param retryBackoff the first retry delay, doubled each time
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BatchSpec(
      @JsonPropertyDescription("Documents per insertMany. Default 100.") @Min(1) @Default("100")
          Integer size,
      @JsonPropertyDescription(
              "Offsets are committed at least every this many messages. Default 1000.")
          @Min(1)
          @Default("1000")
          Integer commitEvery,
      @JsonPropertyDescription(
              "Retries of a failed write before the failing documents are isolated and"
                  + " dead-lettered. Default 3.")
          @Min(0)
          @Default("3")
          Integer maxRetries,
      @JsonPropertyDescription("First retry delay, doubled on each retry, e.g. 1s. Default 1s.")
          @Pattern(KubeDuration.PATTERN)
          @Default("1s")
          String retryBackoff) {}

  /**
   * Lag-driven worker count.
   *
   * @param minReplicas the lower bound
   * @param maxReplicas the upper bound (never above the partition count)
   * @param lagPerReplica messages of lag per worker
   * @param scaleDownStabilization how long lower demand must last before removing workers
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
      message = "spec.autoscale.minReplicas must not exceed spec.autoscale.maxReplicas")
  public record SinkAutoscaleSpec(
      @JsonPropertyDescription("Fewest workers. Default 1.") @Min(0) @Default("1")
          Integer minReplicas,
      @JsonPropertyDescription("Most workers; never above the partition count either.")
          @Required
          @Min(1)
          Integer maxReplicas,
      @JsonPropertyDescription(
              "Messages of total lag per worker: desired = ceil(total lag / lagPerReplica).")
          @Required
          @Min(1)
          Long lagPerReplica,
      @JsonPropertyDescription(
              "How long lower demand must last before workers are removed, e.g. 5m. Default 5m.")
          @Pattern(KubeDuration.PATTERN)
          @Default("5m")
          String scaleDownStabilization) {}
}
