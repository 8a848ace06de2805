package io.groupwarden.operator.api.view;

/**
 * One partition of a topic as one group consumes it.
 *
 * @param cluster {@code namespace/policy}
 * @param lagSeconds null while unknown
 * @param committedOffset null when the group has none
 * @param owner the member it is assigned to, or null
 */
public record TopicPartitionView(
    String cluster,
    String group,
    int partition,
    long lag,
    Double lagSeconds,
    Long committedOffset,
    String owner) {}
