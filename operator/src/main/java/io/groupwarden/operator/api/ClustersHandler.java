package io.groupwarden.operator.api;

import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import io.groupwarden.operator.api.view.AutoscaleView;
import io.groupwarden.operator.api.view.ClusterDetailView;
import io.groupwarden.operator.api.view.ClusterView;
import io.groupwarden.operator.api.view.ClustersView;
import io.groupwarden.operator.api.view.GroupSummaryView;
import io.groupwarden.operator.api.view.SloTargetView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupHealth;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import java.util.Map;
import java.util.TreeMap;

/** {@code /api/v1/clusters}: every governed cluster at a glance, and one with its groups. */
record ClustersHandler(PolicyClusters clusters) {
  Response list(Request request) {
    return Response.json(
        new ClustersView(clusters.policies(null).stream().map(ClustersHandler::of).toList()));
  }

  Response detail(Request request) {
    return Response.json(view(request.pathParam("namespace") + "/" + request.pathParam("policy")));
  }

  /** A cluster with its groups: also what its live feed sends. */
  ClusterDetailView view(String cluster) {
    PolicyView policy = clusters.policies(cluster).get(0);
    return new ClusterDetailView(
        "cluster", of(policy), policy.groups().stream().map(GroupSummaryView::of).toList());
  }

  static ClusterView of(PolicyView p) {
    HealthTally<GroupHealth> health = new HealthTally<>(GroupHealth.class);
    Map<String, Integer> byState = new TreeMap<>();
    long totalLag = 0;
    Double worstCompliance = null;
    int stuck = 0;
    int members = 0;
    for (GroupEvaluation g : p.groups()) {
      health.add(GroupHealth.of(g));
      byState.merge(g.state(), 1, Integer::sum);
      totalLag += g.lag().total();
      if (g.sloCompliance() != null
          && (worstCompliance == null || g.sloCompliance() < worstCompliance)) {
        worstCompliance = g.sloCompliance();
      }
      stuck += g.stuckPartitions().size();
      members += g.members();
    }
    return new ClusterView(
        p.cluster(),
        p.evaluatedAt(),
        p.groups().size(),
        health.worst().name(),
        health.counts(),
        byState,
        totalLag,
        worstCompliance,
        stuck,
        members,
        SloTargetView.of(p.settings()),
        p.origin().name(),
        AutoscaleView.of(p.autoscale()));
  }

  static void requireCluster(String cluster) {
    if (cluster == null || cluster.isBlank()) {
      throw HttpError.badRequest("name a cluster as namespace/policy");
    }
  }
}
