package io.groupwarden.operator.sink;

/**
 * What one reconcile cycle of a sink read and decided: the input of its status.
 *
 * @param partitions partitions of the topic
 * @param lag lag of the sink's group in messages
 * @param currentReplicas the worker count the StatefulSet asked for before this cycle
 * @param runningReplicas workers running
 * @param readyReplicas workers ready
 * @param decision the worker count decided this cycle, and why
 * @param bootstrapServers the Kafka address the workers use
 * @param selector the label selector of the worker pods
 */
record SinkObservation(
    int partitions,
    long lag,
    int currentReplicas,
    int runningReplicas,
    int readyReplicas,
    SinkScaling.Decision decision,
    String bootstrapServers,
    String selector) {}
