package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.coordinator.CoordinatorConfig;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
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
    try (Coordinator coordinator =
            Coordinator.start(
                CoordinatorConfig.parse(
                    new String[] {
                      "--port", "0",
                      "--http-port", "0",
                      "--advertised-host", "127.0.0.1",
                      "--group-initial-rebalance-delay", "0s",
                      "--data-dir", Files.createTempDirectory("parity-848").toString()
                    },
                    Map.of()));
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
        policy(client, "on-coordinator", coordinator.bootstrapServers());
        policy(client, "on-kafka", kafka.bootstrapServers());

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

  private static void policy(KubernetesClient client, String name, String bootstrap) {
    String yaml =
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: %s, namespace: parity}
        spec:
          kafka: {bootstrapServers: "%s"}
          groups: [parity-848-live]
          interval: 1s
        """
            .formatted(name, bootstrap);
    ConsumerGroupPolicy policy =
        client
            .resources(ConsumerGroupPolicy.class)
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    client.resources(ConsumerGroupPolicy.class).inNamespace("parity").resource(policy).create();
  }

  /** The group once it is stable with both members, evenly assigned, and caught up. */
  private static GroupStatus settled(KubernetesClient client, String name) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () ->
                group(
                    client
                        .resources(ConsumerGroupPolicy.class)
                        .inNamespace("parity")
                        .withName(name)
                        .get()
                        .getStatus()),
            g ->
                g != null
                    && "Stable".equals(g.state())
                    && g.members() == 2
                    && g.fairnessGini() == 0.0
                    && g.lag().total() == 0);
  }

  private static GroupStatus group(ConsumerGroupPolicyStatus status) {
    return status.groups().stream()
        .filter(g -> g.groupId().equals("parity-848-live"))
        .findFirst()
        .orElse(null);
  }
}
