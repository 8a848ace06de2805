package io.groupwarden.operator.api;

import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import io.groupwarden.operator.api.PolicyClusters.Located;
import io.groupwarden.operator.api.view.ClusterGroupsView;
import io.groupwarden.operator.api.view.GroupDetailView;
import io.groupwarden.operator.api.view.GroupHealthView;
import io.groupwarden.operator.api.view.GroupListView;
import io.groupwarden.operator.api.view.GroupSummaryView;
import io.groupwarden.operator.api.view.GroupView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupHealth;

/** {@code /api/v1/consumers/groups}: the governed groups, one group, and its health. */
final class GroupsHandler {
  private final PolicyClusters clusters;

  GroupsHandler(PolicyClusters clusters) {
    this.clusters = clusters;
  }

  Response list(Request request) {
    return Response.json(
        new GroupListView(
            clusters.policies(request.query("cluster", null)).stream()
                .map(
                    p ->
                        new ClusterGroupsView(
                            p.cluster(),
                            p.evaluatedAt(),
                            p.groups().stream().map(GroupSummaryView::of).toList()))
                .toList()));
  }

  Response detail(Request request) {
    return Response.json(view(request.pathParam("group"), request.query("cluster", null)));
  }

  /** A group's detail: also what its live feed sends. */
  GroupDetailView view(String groupId, String cluster) {
    Located located = clusters.locate(groupId, cluster);
    return new GroupDetailView(
        located.policy().cluster(),
        located.policy().evaluatedAt(),
        GroupHealth.of(located.group()).name(),
        GroupView.of(located.group()));
  }

  Response health(Request request) {
    Located located = clusters.locate(request.pathParam("group"), request.query("cluster", null));
    GroupEvaluation g = located.group();
    return Response.json(
        new GroupHealthView(
            located.policy().cluster(),
            g.groupId(),
            GroupHealth.of(g).name(),
            g.sloCompliant(),
            g.fair(),
            g.rebalanceStable(),
            g.stuckPartitions().size(),
            g.coverage(),
            g.recommendation().message()));
  }
}
