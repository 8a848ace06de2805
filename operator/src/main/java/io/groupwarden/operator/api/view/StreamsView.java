package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/events/streams}: the Redis sources grouped by stream. */
public record StreamsView(List<StreamGroupsView> streams) {}
