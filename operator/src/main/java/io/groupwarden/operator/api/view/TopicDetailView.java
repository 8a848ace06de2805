package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /api/v1/consumers/topics/{topic}/detail}: the topic's partitions per group, the groups
 * that consume it, its coverage and its aggregated health.
 *
 * @param note why there are none, when no governed group consumes the topic; absent otherwise
 * @param partitionCount partitions of the topic, as the groups' samples show it
 * @param consumers the groups that consume it
 * @param coverage the share of its partitions that some group's member is assigned
 * @param health the worst consumer's health; null when none consumes it
 */
public record TopicDetailView(
    String topic,
    List<TopicPartitionView> partitions,
    @JsonInclude(JsonInclude.Include.NON_NULL) String note,
    int partitionCount,
    List<TopicConsumerView> consumers,
    double coverage,
    String health) {}
