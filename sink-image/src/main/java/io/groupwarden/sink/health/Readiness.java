package io.groupwarden.sink.health;

/**
 * The answer of {@code /health/ready}: {@code UP} when the worker is in its group with Kafka
 * reachable and MongoDB writable; {@code kafka} and {@code mongodb} say which side is not.
 */
public record Readiness(String status, String kafka, String mongodb) implements HealthAnswer {}
