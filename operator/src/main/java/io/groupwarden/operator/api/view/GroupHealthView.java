package io.groupwarden.operator.api.view;

/**
 * {@code GET /api/v1/consumers/groups/{group}/health}: the health and the findings behind it.
 *
 * @param cluster {@code namespace/policy}
 * @param health {@code HEALTHY}, {@code WARNING} or {@code CRITICAL}
 * @param stuckPartitions how many partitions are stuck
 * @param recommendation the recommended action's sentence
 */
public record GroupHealthView(
    String cluster,
    String group,
    String health,
    boolean sloCompliant,
    boolean fair,
    boolean rebalanceStable,
    int stuckPartitions,
    double coverage,
    String recommendation) {}
