package io.groupwarden.operator.api.view;

import java.util.List;

/**
 * {@code GET /api/v1/clusters/{namespace}/{policy}}, and the {@code cluster} messages of its live
 * feed: the cluster at a glance and its groups.
 */
public record ClusterDetailView(String type, ClusterView cluster, List<GroupSummaryView> groups) {}
