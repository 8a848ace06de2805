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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * The same consumer-protocol (KIP-848) workload on the coordinator broker and on Apache Kafka 4.4
 * gets the same evaluation from the operator: state, members, assignor, lag, coverage, fairness.
 * The consumer-protocol counterpart of {@link CoordinatorLagParityIT}.
 */
class ConsumerProtocolLagParityIT {
  static final Map<String, Object> CONSUMER_PROTOCOL =
      Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");

  @Test
  void theSameConsumerProtocolWorkloadIsEvaluatedAlikeOnTheCoordinatorAndOnApacheKafka()
      throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    try (Coordinator coordinator = InProcessCoordinator.start("parity-848");
        OperatorHarness harness = OperatorHarness.start()) {
      for (String bootstrap : List.of(coordinator.bootstrapServers(), kafka.bootstrapServers())) {
        try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
          clients.createTopic("parity-848", 4);
          clients.produce("parity-848", 4, 40);
        }
      }
      try (ConsumerLoop c1 = live(coordinator.bootstrapServers(), "m-1");
          ConsumerLoop c2 = live(coordinator.bootstrapServers(), "m-2");
          ConsumerLoop k1 = live(kafka.bootstrapServers(), "m-1");
          ConsumerLoop k2 = live(kafka.bootstrapServers(), "m-2")) {
        KubernetesClient client = harness.client();
        ParityPolicies.apply(
            client, "on-coordinator", coordinator.bootstrapServers(), List.of("parity-848-live"));
        ParityPolicies.apply(
            client, "on-kafka", kafka.bootstrapServers(), List.of("parity-848-live"));

        GroupStatus a = settled(client, "on-coordinator");
        GroupStatus b = settled(client, "on-kafka");

        assertThat(a.members()).isEqualTo(b.members()).isEqualTo(2);
        assertThat(a.state()).isEqualTo(b.state()).isEqualTo("Stable");
        assertThat(a.assignor()).isEqualTo(b.assignor()).isEqualTo("uniform");
        assertThat(a.lag()).isEqualTo(b.lag());
        assertThat(a.topics()).isEqualTo(b.topics());
        assertThat(a.coverage()).isEqualTo(b.coverage());
        assertThat(a.uncommittedPartitions()).isEqualTo(b.uncommittedPartitions());
        assertThat(a.fairnessGini()).isEqualTo(b.fairnessGini()).isEqualTo(0.0);
      }
    }
  }

  private static ConsumerLoop live(String bootstrap, String name) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
      return new ConsumerLoop(
          clients.consumer("parity-848-live", null, CONSUMER_PROTOCOL), List.of("parity-848"));
    }
  }

  /** The group once it is stable with both members, evenly assigned, and caught up. */
  private static GroupStatus settled(KubernetesClient client, String name) {
    return group(
        ParityPolicies.awaitStatus(
            client,
            name,
            s -> {
              GroupStatus g = group(s);
              return g != null
                  && "Stable".equals(g.state())
                  && g.members() == 2
                  && g.fairnessGini() == 0.0
                  && g.lag().total() == 0;
            }));
  }

  private static GroupStatus group(ConsumerGroupPolicyStatus status) {
    return status.groups().stream()
        .filter(g -> g.groupId().equals("parity-848-live"))
        .findFirst()
        .orElse(null);
  }
}
