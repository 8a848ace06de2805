package io.groupwarden.operator.api.view;

/**
 * A Kubernetes Event about a resource, as {@code kubectl describe} shows it.
 *
 * @param type Normal or Warning
 * @param reason one CamelCase word
 * @param count how many times it happened
 * @param lastTimestamp when it last happened (RFC 3339)
 */
public record EventView(
    String type,
    String reason,
    String message,
    int count,
    String firstTimestamp,
    String lastTimestamp) {}
