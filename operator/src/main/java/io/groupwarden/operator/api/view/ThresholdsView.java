package io.groupwarden.operator.api.view;

/**
 * How a LagMonitor classifies lag: up to {@code degraded} messages healthy, up to {@code unhealthy}
 * degraded, above it unhealthy.
 */
public record ThresholdsView(long degraded, long unhealthy) {}
