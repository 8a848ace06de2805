package io.groupwarden.operator.api.view;

import java.util.Map;

/**
 * {@code GET /api/v1/events/health}.
 *
 * @param health the worst source's health: {@code healthy}, {@code degraded} or {@code unhealthy}
 * @param sources how many sources are in each health, every class named even when none is
 */
public record StreamsHealthView(String health, Map<String, Integer> sources) {}
