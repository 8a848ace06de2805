package io.groupwarden.coordinator.log;

/** A producer of one partition as DescribeProducers shows it. */
public record ProducerDescription(
    long producerId,
    short epoch,
    int lastSequence,
    long lastTimestamp,
    int coordinatorEpoch,
    long currentTxnStartOffset) {}
