package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/clusters}: every governed cluster. */
public record ClustersView(List<ClusterView> clusters) {}
