package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/events/consumer-lag}: every Redis stream and group, one entry each. */
public record StreamSourcesView(List<StreamSourceView> sources) {}
