package io.groupwarden.operator.api;

import io.groupwarden.http.HttpError;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the policies and groups a request names. A cluster is named {@code namespace/policy}; where
 * the request leaves it out and a group lives in one cluster only, that one is used.
 */
record PolicyClusters(InsightStore store) {
  /** A group and the policy that evaluated it. */
  record Located(PolicyView policy, GroupEvaluation group) {}

  /**
   * The policies to read: the one named, or all when {@code cluster} is null.
   *
   * @throws HttpError 404 when the named policy is not evaluated by this operator
   */
  List<PolicyView> policies(String cluster) {
    if (cluster == null) {
      return List.copyOf(store.policies().values());
    }
    PolicyView policy = store.policies().get(cluster);
    if (policy == null) {
      throw HttpError.notFound(
          "no ConsumerGroupPolicy " + cluster + " is evaluated by this operator");
    }
    return List.of(policy);
  }

  /**
   * The one group of that id.
   *
   * @throws HttpError 404 when no policy governs it, 400 when several do and no cluster is named
   */
  Located locate(String groupId, String cluster) {
    List<Located> found = new ArrayList<>();
    for (PolicyView policy : policies(cluster)) {
      policy.groups().stream()
          .filter(g -> g.groupId().equals(groupId))
          .findFirst()
          .ifPresent(g -> found.add(new Located(policy, g)));
    }
    if (found.isEmpty()) {
      throw HttpError.notFound(
          "no governed group " + groupId + (cluster == null ? "" : " in " + cluster));
    }
    if (found.size() > 1) {
      throw HttpError.badRequest(
          "group "
              + groupId
              + " is governed in several clusters; add ?cluster= with one of "
              + found.stream().map(l -> l.policy().cluster()).toList());
    }
    return found.get(0);
  }
}
