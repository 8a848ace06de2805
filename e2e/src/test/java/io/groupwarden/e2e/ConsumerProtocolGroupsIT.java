package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Consumer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consumer-protocol (KIP-848) groups on the coordinator broker and on Apache Kafka 4.4 look alike
 * to the operator: a ConsumerGroupPolicy evaluates the same workload the same way on both (the
 * consumer-protocol counterpart of {@link CoordinatorLagParityIT}), and a LagMonitor lists the same
 * members and the lag the Admin client computes on both. The tests use their own topics, groups and
 * namespaces on one coordinator and one operator.
 */
class ConsumerProtocolGroupsIT {
  static final String LAG_NS = "lag-848";
  static final String LAG_TOPIC = "lm-848";
  static final String LAG_GROUP = "lm-848-app";
  static final String PARITY_TOPIC = "parity-848";
  static final String PARITY_GROUP = "parity-848-live";
  static final int PARTITIONS = 4;

  static KafkaBroker kafka;
  static Coordinator coordinator;
  static OperatorHarness harness;
  static KubernetesClient client;

  @BeforeAll
  static void startCoordinatorAndOperator() throws Exception {
    kafka = KafkaBroker.shared();
    coordinator = InProcessCoordinator.start("consumer-protocol");
    harness = OperatorHarness.start();
    client = harness.client();
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void theSameConsumerProtocolWorkloadIsEvaluatedAlikeOnTheCoordinatorAndOnApacheKafka()
      throws Exception {
    createAndFillOnBoth(PARITY_TOPIC);
    try (ConsumerLoop c1 = parityMember(coordinator.bootstrapServers());
        ConsumerLoop c2 = parityMember(coordinator.bootstrapServers());
        ConsumerLoop k1 = parityMember(kafka.bootstrapServers());
        ConsumerLoop k2 = parityMember(kafka.bootstrapServers())) {
      ParityPolicies.apply(
          client, "on-coordinator", coordinator.bootstrapServers(), List.of(PARITY_GROUP));
      ParityPolicies.apply(client, "on-kafka", kafka.bootstrapServers(), List.of(PARITY_GROUP));

      GroupStatus a = settled("on-coordinator");
      GroupStatus b = settled("on-kafka");

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

  /**
   * The group has two consumer-protocol members and, mid rolling upgrade, a classic one (the
   * coordinator and Kafka 4.4 both keep it in the consumer group).
   */
  @Test
  void aConsumerProtocolGroupIsListedWithItsMembersAndLagAlikeOnTheCoordinatorAndOnApacheKafka()
      throws Exception {
    Map<String, String> monitors =
        Map.of(
            "on-coordinator", coordinator.bootstrapServers(),
            "on-kafka", kafka.bootstrapServers());
    createAndFillOnBoth(LAG_TOPIC);
    try (ConsumerLoop c1 = lagMember(coordinator.bootstrapServers(), "member-a", "consumer");
        ConsumerLoop c2 = lagMember(coordinator.bootstrapServers(), "member-b", "consumer");
        ConsumerLoop c3 = lagMember(coordinator.bootstrapServers(), "member-c", "classic");
        ConsumerLoop k1 = lagMember(kafka.bootstrapServers(), "member-a", "consumer");
        ConsumerLoop k2 = lagMember(kafka.bootstrapServers(), "member-b", "consumer");
        ConsumerLoop k3 = lagMember(kafka.bootstrapServers(), "member-c", "classic")) {
      monitors.forEach(
          (name, bootstrap) ->
              LagMonitors.apply(
                  client,
                  LAG_NS,
                  name,
                  "bootstrapServers: \"%s\"".formatted(bootstrap),
                  LAG_GROUP));
      List<String> everyone = List.of("member-a", "member-b", "member-c");

      for (String name : monitors.keySet()) {
        Source caughtUp = awaitSource(name, s -> s.lag() == 0 && names(s).equals(everyone));
        assertThat(caughtUp.note()).isNull();
      }

      // The members stop committing; what is written next is lag.
      List.of(c1, c2, c3, k1, k2, k3).forEach(loop -> loop.committing(false));
      for (String bootstrap : monitors.values()) {
        try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
          clients.produce(LAG_TOPIC, PARTITIONS, 25);
        }
      }
      for (var monitor : monitors.entrySet()) {
        Source behind = awaitSource(monitor.getKey(), s -> s.lag() == 100);
        assertThat(names(behind)).isEqualTo(everyone);
        try (KafkaTestClients clients = new KafkaTestClients(monitor.getValue())) {
          assertThat(clients.adminLag(LAG_GROUP, LAG_TOPIC, PARTITIONS)).isEqualTo(behind.lag());
        }
      }
    }
  }

  /** Creates {@code topic} on both brokers, with 40 records in each of its partitions. */
  private static void createAndFillOnBoth(String topic) {
    for (String bootstrap : List.of(coordinator.bootstrapServers(), kafka.bootstrapServers())) {
      try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
        clients.createTopic(topic, PARTITIONS);
        clients.produce(topic, PARTITIONS, 40);
      }
    }
  }

  private static ConsumerLoop parityMember(String bootstrap) {
    return member(
        bootstrap,
        PARITY_GROUP,
        PARITY_TOPIC,
        Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
  }

  private static ConsumerLoop lagMember(String bootstrap, String clientId, String protocol) {
    return member(
        bootstrap,
        LAG_GROUP,
        LAG_TOPIC,
        Map.of(
            ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            protocol,
            ConsumerConfig.CLIENT_ID_CONFIG,
            clientId));
  }

  /** A member of {@code group} reading {@code topic}, with these consumer settings. */
  private static ConsumerLoop member(
      String bootstrap, String group, String topic, Map<String, Object> settings) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap)) {
      return new ConsumerLoop(clients.consumer(group, null, settings), List.of(topic));
    }
  }

  /** The group once it is stable with both members, evenly assigned, and caught up. */
  private static GroupStatus settled(String policy) {
    return group(
        ParityPolicies.awaitStatus(
            client,
            policy,
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
        .filter(g -> g.groupId().equals(PARITY_GROUP))
        .findFirst()
        .orElse(null);
  }

  private static Source awaitSource(String monitor, Predicate<Source> test) {
    return LagMonitors.awaitSource(client, LAG_NS, monitor, LAG_TOPIC, LAG_GROUP, test);
  }

  private static List<String> names(Source source) {
    return source.consumers() == null
        ? List.of()
        : source.consumers().stream().map(Consumer::name).sorted().toList();
  }
}
