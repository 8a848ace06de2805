package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;

/**
 * The Kafka cluster of a policy: an existing cluster, or a coordinator broker the operator deploys.
 *
 * @param bootstrapServers host:port pairs of an existing cluster
 * @param tls TLS settings for an existing cluster
 * @param sasl SASL settings for an existing cluster
 * @param coordinator deploy a coordinator broker for this policy instead
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.bootstrapServers) != has(self.coordinator)",
    message = "set exactly one of spec.kafka.bootstrapServers and spec.kafka.coordinator")
@ValidationRule(
    value = "!has(self.coordinator) || (!has(self.tls) && !has(self.sasl))",
    message = "spec.kafka.tls and spec.kafka.sasl apply to bootstrapServers only")
public record PolicyKafkaSpec(
    @JsonPropertyDescription(
            "Comma-separated host:port pairs of an existing Kafka cluster, e.g."
                + " kafka-0.kafka:9092,kafka-1.kafka:9092.")
        @Pattern("^[^,\\s]+:[0-9]{1,5}(,[^,\\s]+:[0-9]{1,5})*$")
        String bootstrapServers,
    @JsonPropertyDescription("TLS to the existing cluster.") KafkaTls tls,
    @JsonPropertyDescription("SASL authentication to the existing cluster.") KafkaSasl sasl,
    @JsonPropertyDescription(
            "Deploy a single-node coordinator broker for this policy (StatefulSet with a volume,"
                + " Services, ConfigMap) and govern the groups on it.")
        CoordinatorSpec coordinator) {}
