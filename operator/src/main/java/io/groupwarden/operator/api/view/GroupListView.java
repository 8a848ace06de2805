package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/consumers/groups}: every governed group, by cluster. */
public record GroupListView(List<ClusterGroupsView> clusters) {}
