package io.groupwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the operator against one API server: the first holds the Lease and reconciles;
 * when it stops, the standby acquires the Lease and reconciles what is created afterwards.
 */
class LeaderElectionIT {

  private static GroupwardenOperator replica(KubernetesClient client, String identity) {
    return new GroupwardenOperator(
        OperatorConfig.fromEnvironment(
            Map.of(
                "GROUPWARDEN_HTTP_PORT", "0",
                "GROUPWARDEN_LEADER_ELECTION", "true",
                "GROUPWARDEN_LEASE_NAMESPACE", "groupwarden",
                "POD_NAME", identity,
                "GROUPWARDEN_KAFKA_TIMEOUT", "1s")),
        client,
        Clock.systemUTC(),
        GroupwardenOperator.Mode.MOCK_API_SERVER);
  }

  @Test
  void theLeaseHolderReconcilesAndTheStandbyTakesOverWhenItStops() {
    try (OperatorHarness api =
        OperatorHarness.start(Map.of("GROUPWARDEN_LEADER_ELECTION", "false"))) {
      // the harness's own operator is stopped: the two replicas below are the ones under test
      api.operator().close();
      // the mock cannot answer the permission check leader election starts with; grant leases
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
      KubernetesClient client = api.client();
      GroupwardenOperator first = replica(client, "replica-a").start();
      await().atMost(Duration.ofSeconds(30)).until(() -> holder(client) != null);
      assertThat(holder(client)).isEqualTo("replica-a");
      GroupwardenOperator second = replica(client, "replica-b").start();

      create(client, "elected");
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> status(client, "elected") != null);

      first.close();

      await().atMost(Duration.ofSeconds(60)).until(() -> "replica-b".equals(holder(client)));
      create(client, "after-failover");
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> status(client, "after-failover") != null);
      second.close();
    }
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("groupwarden").withName("groupwarden-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void create(KubernetesClient client, String name) {
    String yaml =
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: %s, namespace: ha}
        spec:
          kafka: {bootstrapServers: "kafka.invalid:9092"}
          groups: [g]
        """
            .formatted(name);
    TestResources.apply(client, ConsumerGroupPolicy.class, "ha", yaml);
  }

  private static Object status(KubernetesClient client, String name) {
    return client
        .resources(ConsumerGroupPolicy.class)
        .inNamespace("ha")
        .withName(name)
        .get()
        .getStatus();
  }
}
