package io.groupwarden.operator.support;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.GroupwardenOperator;
import io.groupwarden.operator.OperatorConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Operator replicas that elect a leader through a Lease on a harness's mock API server, for the
 * tests of leader election and fail-over. The harness's own operator is stopped first, so that the
 * replicas a test starts are the only ones.
 */
public final class LeaseReplicas {
  private static final String LEASE_NAMESPACE = "groupwarden";

  private LeaseReplicas() {}

  /**
   * Stops {@code api}'s own operator and answers the permission check leader election starts with,
   * which the mock cannot answer itself, by granting leases.
   */
  public static void prepare(OperatorHarness api) {
    api.operator().close();
    api.server()
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update")
                .endResourceRule()
                .endStatus()
                .build())
        .always();
  }

  /** A replica, not yet started, electing as {@code identity}, configured also by {@code env}. */
  public static GroupwardenOperator replica(
      KubernetesClient client, String identity, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("GROUPWARDEN_HTTP_PORT", "0");
    all.put("GROUPWARDEN_LEADER_ELECTION", "true");
    all.put("GROUPWARDEN_LEASE_NAMESPACE", LEASE_NAMESPACE);
    all.put("POD_NAME", identity);
    return new GroupwardenOperator(
        OperatorConfig.fromEnvironment(all),
        client,
        Clock.systemUTC(),
        GroupwardenOperator.Mode.MOCK_API_SERVER);
  }

  /** The identity holding the operator's Lease, or null before anyone has taken it. */
  public static String holder(KubernetesClient client) {
    Lease lease =
        client.leases().inNamespace(LEASE_NAMESPACE).withName("groupwarden-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
