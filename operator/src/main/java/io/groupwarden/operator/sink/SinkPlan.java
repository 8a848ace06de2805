package io.groupwarden.operator.sink;

/**
 * What the reconciler decided for a sink this cycle, which the worker StatefulSet is built from.
 *
 * @param bootstrapServers the Kafka address the workers use
 * @param groupId the consumer group
 * @param deadLetterTopic where poison messages go
 * @param replicas workers to run
 */
public record SinkPlan(
    String bootstrapServers, String groupId, String deadLetterTopic, int replicas) {}
