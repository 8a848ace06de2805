package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Consumer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * A LagMonitor reading a consumer-protocol (KIP-848) group, on the coordinator broker and on Apache
 * Kafka 4.4: it lists the group's members and reports the lag the Admin client computes, and the
 * same on both brokers. The group has two consumer-protocol members and, mid rolling upgrade, a
 * classic one (the coordinator and Kafka 4.4 both keep it in the consumer group).
 */
class ConsumerProtocolLagMonitorIT {
  static final String NS = "lag-848";
  static final String TOPIC = "lm-848";
  static final String GROUP = "lm-848-app";
  static final int PARTITIONS = 4;

  @Test
  void aConsumerProtocolGroupIsListedWithItsMembersAndLagAlikeOnTheCoordinatorAndOnApacheKafka()
      throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    try (Coordinator coordinator = InProcessCoordinator.start("lagmonitor-848");
        OperatorHarness harness = OperatorHarness.start()) {
      KubernetesClient client = harness.client();
      Map<String, String> monitors =
          Map.of(
              "on-coordinator", coordinator.bootstrapServers(),
              "on-kafka", kafka.bootstrapServers());
      for (String bootstrap : monitors.values()) {
        try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
          clients.createTopic(TOPIC, PARTITIONS);
          clients.produce(TOPIC, PARTITIONS, 40);
        }
      }
      try (ConsumerLoop c1 = member(coordinator.bootstrapServers(), "member-a", "consumer");
          ConsumerLoop c2 = member(coordinator.bootstrapServers(), "member-b", "consumer");
          ConsumerLoop c3 = member(coordinator.bootstrapServers(), "member-c", "classic");
          ConsumerLoop k1 = member(kafka.bootstrapServers(), "member-a", "consumer");
          ConsumerLoop k2 = member(kafka.bootstrapServers(), "member-b", "consumer");
          ConsumerLoop k3 = member(kafka.bootstrapServers(), "member-c", "classic")) {
        monitors.forEach(
            (name, bootstrap) ->
                LagMonitors.apply(
                    client, NS, name, "bootstrapServers: \"%s\"".formatted(bootstrap), GROUP));
        List<String> everyone = List.of("member-a", "member-b", "member-c");

        for (String name : monitors.keySet()) {
          Source caughtUp =
              awaitSource(client, name, s -> s.lag() == 0 && names(s).equals(everyone));
          assertThat(caughtUp.note()).isNull();
        }

        // The members stop committing; what is written next is lag.
        List.of(c1, c2, c3, k1, k2, k3).forEach(loop -> loop.committing(false));
        for (String bootstrap : monitors.values()) {
          try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
            clients.produce(TOPIC, PARTITIONS, 25);
          }
        }
        for (var monitor : monitors.entrySet()) {
          Source behind = awaitSource(client, monitor.getKey(), s -> s.lag() == 100);
          assertThat(names(behind)).isEqualTo(everyone);
          try (KafkaTestClients clients = new KafkaTestClients(monitor.getValue())) {
            assertThat(clients.adminLag(GROUP, TOPIC, PARTITIONS)).isEqualTo(behind.lag());
          }
        }
      }
    }
  }

  private static ConsumerLoop member(String bootstrap, String clientId, String protocol) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
      return new ConsumerLoop(
          clients.consumer(
              GROUP,
              null,
              Map.of(
                  ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                  protocol,
                  ConsumerConfig.CLIENT_ID_CONFIG,
                  clientId)),
          List.of(TOPIC));
    }
  }

  private static Source awaitSource(
      KubernetesClient client, String monitor, Predicate<Source> test) {
    return LagMonitors.awaitSource(client, NS, monitor, TOPIC, GROUP, test);
  }

  private static List<String> names(Source source) {
    return source.consumers() == null
        ? List.of()
        : source.consumers().stream().map(Consumer::name).sorted().toList();
  }
}
