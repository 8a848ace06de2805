package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/consumers/topics/{topic}/consumers}. */
public record TopicConsumersView(String topic, List<TopicConsumerView> consumers) {}
