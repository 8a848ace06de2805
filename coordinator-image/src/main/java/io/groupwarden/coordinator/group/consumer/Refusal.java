package io.groupwarden.coordinator.group.consumer;

import org.apache.kafka.common.protocol.Errors;

/** A request turned away: the error and why, with no change made. */
record Refusal(Errors error, String message) {}
