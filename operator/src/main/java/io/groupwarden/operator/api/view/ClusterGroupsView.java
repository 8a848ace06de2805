package io.groupwarden.operator.api.view;

import java.time.Instant;
import java.util.List;

/**
 * The groups one policy governs.
 *
 * @param cluster {@code namespace/policy}
 * @param evaluatedAt when the groups were sampled
 */
public record ClusterGroupsView(
    String cluster, Instant evaluatedAt, List<GroupSummaryView> groups) {}
