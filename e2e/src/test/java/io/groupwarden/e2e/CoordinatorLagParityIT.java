package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The operator's evaluation of the same workload on the coordinator broker and on Apache Kafka 4.4
 * gives the same lag, state, membership and coverage: the coordinator is a faithful stand-in for
 * what groupwarden governs.
 */
class CoordinatorLagParityIT {

  @Test
  void theSameWorkloadHasTheSameLagOnTheCoordinatorAndOnApacheKafka() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    try (Coordinator coordinator = InProcessCoordinator.start("parity-coordinator");
        OperatorHarness harness = OperatorHarness.start()) {
      for (String bootstrap : List.of(coordinator.bootstrapServers(), kafka.bootstrapServers())) {
        workload(bootstrap);
      }
      try (ConsumerLoop onCoordinator = live(coordinator.bootstrapServers());
          ConsumerLoop onKafka = live(kafka.bootstrapServers())) {
        KubernetesClient client = harness.client();
        ParityPolicies.apply(
            client,
            "on-coordinator",
            coordinator.bootstrapServers(),
            List.of("parity-app", "parity-live"));
        ParityPolicies.apply(
            client, "on-kafka", kafka.bootstrapServers(), List.of("parity-app", "parity-live"));

        ConsumerGroupPolicyStatus viaCoordinator = settled(client, "on-coordinator");
        ConsumerGroupPolicyStatus viaKafka = settled(client, "on-kafka");

        GroupStatus committedOnly = group(viaCoordinator, "parity-app");
        assertThat(committedOnly.lag().total()).isEqualTo(50); // 40-10, 30-30, 20 from log start
        assertThat(committedOnly.uncommittedPartitions()).containsExactly("parity-orders-2");
        for (String groupId : List.of("parity-app", "parity-live")) {
          GroupStatus a = group(viaCoordinator, groupId);
          GroupStatus b = group(viaKafka, groupId);
          assertThat(a.lag()).as(groupId + " lag").isEqualTo(b.lag());
          assertThat(a.state()).as(groupId + " state").isEqualTo(b.state());
          assertThat(a.members()).as(groupId + " members").isEqualTo(b.members());
          assertThat(a.topics()).as(groupId + " topics").isEqualTo(b.topics());
          assertThat(a.coverage()).as(groupId + " coverage").isEqualTo(b.coverage());
          assertThat(a.uncommittedPartitions()).as(groupId).isEqualTo(b.uncommittedPartitions());
          assertThat(a.fairnessGini()).as(groupId + " Gini").isEqualTo(b.fairnessGini());
        }
        assertThat(viaCoordinator.summary().totalLag()).isEqualTo(viaKafka.summary().totalLag());
      }
    }
  }

  /**
   * 40, 30 and 20 records on three partitions; the group commits 10 and 30, nothing on the third.
   */
  private static void workload(String bootstrap) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
      clients.createTopic("parity-orders", 3);
      clients.createTopic("parity-live", 2);
      for (int p = 0; p < 3; p++) {
        int count = 40 - 10 * p;
        for (int i = 0; i < count; i++) {
          clients.produceTo("parity-orders", p, "r" + i);
        }
      }
      clients.produce("parity-live", 2, 25);
      clients.commit(
          "parity-app",
          Map.of(
              new TopicPartition("parity-orders", 0),
              10L,
              new TopicPartition("parity-orders", 1),
              30L));
    }
  }

  private static ConsumerLoop live(String bootstrap) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
      return new ConsumerLoop(clients.consumer("parity-live", "live-0"), List.of("parity-live"));
    }
  }

  /** The status once the live group is stable with its one member and has caught up. */
  private static ConsumerGroupPolicyStatus settled(KubernetesClient client, String name) {
    return ParityPolicies.awaitStatus(
        client,
        name,
        s ->
            s.groups() != null
                && s.groups().size() == 2
                && "Stable".equals(group(s, "parity-live").state())
                && group(s, "parity-live").members() == 1
                && group(s, "parity-live").lag().total() == 0);
  }

  private static GroupStatus group(ConsumerGroupPolicyStatus status, String groupId) {
    return status.groups().stream()
        .filter(g -> g.groupId().equals(groupId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no group " + groupId));
  }
}
