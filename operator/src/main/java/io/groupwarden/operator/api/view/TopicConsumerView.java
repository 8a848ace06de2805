package io.groupwarden.operator.api.view;

/**
 * A group that consumes a topic.
 *
 * @param cluster {@code namespace/policy}
 * @param lag the group's lag on this topic, in messages
 * @param health the group's health as a whole
 * @param coverage the share of the topic's partitions assigned to one of the group's members
 */
public record TopicConsumerView(
    String cluster,
    String group,
    String state,
    int members,
    long lag,
    String health,
    double coverage) {}
