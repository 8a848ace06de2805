package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/consumers/topics}: every topic a governed group consumes. */
public record TopicsView(List<TopicSummaryView> topics) {}
