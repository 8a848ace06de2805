package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /api/v1/consumers/topics/{topic}/detail}: the topic's partitions per group.
 *
 * @param note why there are none, when no governed group consumes the topic; absent otherwise
 */
public record TopicDetailView(
    String topic,
    List<TopicPartitionView> partitions,
    @JsonInclude(JsonInclude.Include.NON_NULL) String note) {}
