package io.groupwarden.operator.sink.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.ConditionedStatus;
import java.util.List;

/**
 * What the operator observed of a sink.
 *
 * @param observedGeneration the spec generation this status is for
 * @param conditions Ready and Scaling
 * @param partitions partitions of the topic
 * @param replicas workers running (the StatefulSet's replicas)
 * @param readyReplicas workers ready
 * @param desiredReplicas workers the operator decided on
 * @param lag lag of the sink's group in messages
 * @param lastScaleTime when the operator last changed the worker count
 * @param selector the label selector of the worker pods (for the scale subresource)
 * @param bootstrapServers the Kafka address the workers use
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MongoSinkStatus(
    @JsonPropertyDescription("The spec generation this status reflects.") Long observedGeneration,
    @JsonPropertyDescription("Ready and Scaling.") List<Condition> conditions,
    @JsonPropertyDescription("Partitions of the topic.") Integer partitions,
    @JsonPropertyDescription("Workers running.") @StatusReplicas Integer replicas,
    @JsonPropertyDescription("Workers ready.") Integer readyReplicas,
    @JsonPropertyDescription("Workers the operator decided on.") Integer desiredReplicas,
    @JsonPropertyDescription("Lag of the sink's consumer group in messages.") Long lag,
    @JsonPropertyDescription("When the operator last changed the worker count (RFC 3339).")
        String lastScaleTime,
    @JsonPropertyDescription("Label selector of the worker pods.") @LabelSelector String selector,
    @JsonPropertyDescription("Kafka bootstrap address the workers use.") String bootstrapServers)
    implements ConditionedStatus {}
