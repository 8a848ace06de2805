package io.groupwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.support.LeaseReplicas;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the operator against one API server: the first holds the Lease and reconciles;
 * when it stops, the standby acquires the Lease and reconciles what is created afterwards.
 */
class LeaderElectionIT {

  private static GroupwardenOperator replica(KubernetesClient client, String identity) {
    return LeaseReplicas.replica(client, identity, Map.of("GROUPWARDEN_KAFKA_TIMEOUT", "1s"));
  }

  @Test
  void theLeaseHolderReconcilesAndTheStandbyTakesOverWhenItStops() {
    try (OperatorHarness api =
        OperatorHarness.start(Map.of("GROUPWARDEN_LEADER_ELECTION", "false"))) {
      LeaseReplicas.prepare(api);
      KubernetesClient client = api.client();
      GroupwardenOperator first = replica(client, "replica-a").start();
      await().atMost(Duration.ofSeconds(30)).until(() -> LeaseReplicas.holder(client) != null);
      assertThat(LeaseReplicas.holder(client)).isEqualTo("replica-a");
      GroupwardenOperator second = replica(client, "replica-b").start();

      createAndAwaitStatus(client, "elected");

      first.close();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "replica-b".equals(LeaseReplicas.holder(client)));
      createAndAwaitStatus(client, "after-failover");
      second.close();
    }
  }

  /** Creates policy {@code name} and waits for the leader to write its status. */
  private static void createAndAwaitStatus(KubernetesClient client, String name) {
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
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> status(client, name) != null);
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
