package io.groupwarden.operator.api.view;

import java.util.List;

/**
 * A topic that governed groups consume.
 *
 * @param partitions partitions of the topic (as the groups' samples show it)
 * @param consumers the groups that consume it
 * @param coverage the share of its partitions that some governed group's member is assigned
 * @param lag lag in messages summed over its consumers
 * @param health the worst consumer's health
 */
public record TopicSummaryView(
    String topic,
    int partitions,
    List<TopicConsumerView> consumers,
    double coverage,
    long lag,
    String health) {}
