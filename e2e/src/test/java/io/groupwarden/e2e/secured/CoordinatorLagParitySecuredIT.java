package io.groupwarden.e2e.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's evaluation and a LagMonitor read the same lag from a managed coordinator that
 * requires SASL_SSL (each as its own SCRAM user, with no security settings in any resource) as from
 * Apache Kafka 4.4 running the same workload. The managed coordinator has no plaintext listener, so
 * every figure read from it came over SASL_SSL.
 */
@EnabledIfSystemProperty(
    named = "jdk.net.hosts.file",
    matches = ".*cluster-hosts",
    disabledReason = "runs in the e2e module's secured-cluster test execution")
class CoordinatorLagParitySecuredIT {
  private static final String NS = "parity";
  private static final String POD_ADDRESS = "127.0.0.62";

  @TempDir Path dir;

  @Test
  void theSecuredManagedCoordinatorGivesTheSameLagAsApacheKafka() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    try (LogCapture logs = new LogCapture();
        OperatorHarness harness = OperatorHarness.start()) {
      KubernetesClient client = harness.client();
      TestResources.apply(
          client,
          ConsumerGroupPolicy.class,
          NS,
          """
          apiVersion: groupwarden.io/v1alpha1
          kind: ConsumerGroupPolicy
          metadata: {name: parity, namespace: parity}
          spec:
            kafka:
              coordinator:
                users: [parity-client]
            groups: [secured-app, secured-live]
            interval: 1s
          """);
      try (ManagedCoordinatorProcess coordinator =
          ManagedCoordinatorProcess.start(client, NS, "parity", POD_ADDRESS, dir.resolve("pod"))) {
        CoordinatorStatus status =
            await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> SecuredClients.coordinator(client, NS, "parity"), s -> s.ready());
        assertThat(status.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(status.plaintextBootstrapServers()).isNull();
        Map<String, Object> secured = SecuredClients.as(client, NS, "parity", "parity-client");
        String coordinatorBootstrap = status.bootstrapServers();

        workload(coordinatorBootstrap, secured);
        workload(kafka.bootstrapServers(), Map.of());
        try (ConsumerLoop onCoordinator = live(coordinatorBootstrap, secured);
            ConsumerLoop onKafka = live(kafka.bootstrapServers(), Map.of())) {
          TestResources.apply(
              client,
              ConsumerGroupPolicy.class,
              NS,
              """
              apiVersion: groupwarden.io/v1alpha1
              kind: ConsumerGroupPolicy
              metadata: {name: on-kafka, namespace: parity}
              spec:
                kafka: {bootstrapServers: "%s"}
                groups: [secured-app, secured-live]
                interval: 1s
              """
                  .formatted(kafka.bootstrapServers()));
          monitor(client, "via-coordinator", "policyRef: {name: parity}");
          monitor(
              client, "via-kafka", "bootstrapServers: \"%s\"".formatted(kafka.bootstrapServers()));

          ConsumerGroupPolicyStatus viaCoordinator = settled(client, "parity");
          ConsumerGroupPolicyStatus viaKafka = settled(client, "on-kafka");
          GroupStatus committedOnly = group(viaCoordinator, "secured-app");
          assertThat(committedOnly.lag().total()).isEqualTo(50); // 40-10, 30-30, 20 from log start
          for (String groupId : List.of("secured-app", "secured-live")) {
            GroupStatus a = group(viaCoordinator, groupId);
            GroupStatus b = group(viaKafka, groupId);
            assertThat(a.lag()).as(groupId + " lag").isEqualTo(b.lag());
            assertThat(a.state()).as(groupId + " state").isEqualTo(b.state());
            assertThat(a.members()).as(groupId + " members").isEqualTo(b.members());
            assertThat(a.topics()).as(groupId + " topics").isEqualTo(b.topics());
            assertThat(a.uncommittedPartitions()).as(groupId).isEqualTo(b.uncommittedPartitions());
          }

          Source monitoredOnCoordinator = parityOrders(client, "via-coordinator");
          Source monitoredOnKafka = parityOrders(client, "via-kafka");
          assertThat(monitoredOnCoordinator.error()).isNull();
          assertThat(monitoredOnCoordinator.lag()).isPositive().isEqualTo(monitoredOnKafka.lag());
          assertThat(SecuredClients.coordinator(client, NS, "parity").users())
              .extracting(u -> u.name())
              .contains("groupwarden-operator", "groupwarden-lagmonitor-via-coordinator");

          Map<String, String> secrets = SecretLeaks.secrets(client, NS);
          SecretLeaks.assertNoneIn("the operator's log", logs.text(), secrets);
          SecretLeaks.assertNoneIn("the coordinator's log", coordinator.logText(), secrets);
          SecretLeaks.assertNoneIn(
              "status and events",
              SecretLeaks.statusAndEvents(
                  client, NS, List.of(ConsumerGroupPolicy.class, LagMonitor.class)),
              secrets);
        }
      }
    }
  }

  /**
   * 40, 30 and 20 records on three partitions; the group commits 10 and 30, nothing on the third.
   */
  private static void workload(String bootstrap, Map<String, Object> security) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap, security)) {
      clients.createTopic("secured-orders", 3);
      clients.createTopic("secured-live", 2);
      for (int p = 0; p < 3; p++) {
        int count = 40 - 10 * p;
        for (int i = 0; i < count; i++) {
          clients.produceTo("secured-orders", p, "r" + i);
        }
      }
      clients.produce("secured-live", 2, 25);
      clients.commit(
          "secured-app",
          Map.of(
              new TopicPartition("secured-orders", 0),
              10L,
              new TopicPartition("secured-orders", 1),
              30L));
    }
  }

  private static ConsumerLoop live(String bootstrap, Map<String, Object> security) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap, security)) {
      return new ConsumerLoop(clients.consumer("secured-live", "live-0"), List.of("secured-live"));
    }
  }

  private static void monitor(KubernetesClient client, String name, String kafka) {
    TestResources.apply(
        client,
        LagMonitor.class,
        NS,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: LagMonitor
        metadata: {name: %s, namespace: parity}
        spec:
          kafka: {%s, groups: [secured-app]}
          interval: 1s
        """
            .formatted(name, kafka));
  }

  /** The monitor's entry for secured-app on secured-orders, once it has read one. */
  private static Source parityOrders(KubernetesClient client, String monitor) {
    LagMonitorStatus status =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () ->
                    client
                        .resources(LagMonitor.class)
                        .inNamespace(NS)
                        .withName(monitor)
                        .get()
                        .getStatus(),
                s ->
                    s.sources().stream()
                        .anyMatch(
                            source ->
                                "secured-orders".equals(source.name())
                                    && source.lag() != null
                                    && source.lag() >= 0));
    return status.sources().stream()
        .filter(s -> "secured-orders".equals(s.name()) && "secured-app".equals(s.group()))
        .findFirst()
        .orElseThrow();
  }

  /** The status once the live group is stable with its one member and has caught up. */
  private static ConsumerGroupPolicyStatus settled(KubernetesClient client, String name) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () ->
                client
                    .resources(ConsumerGroupPolicy.class)
                    .inNamespace(NS)
                    .withName(name)
                    .get()
                    .getStatus(),
            s ->
                s != null
                    && s.groups() != null
                    && s.groups().size() == 2
                    && "Stable".equals(group(s, "secured-live").state())
                    && group(s, "secured-live").members() == 1
                    && group(s, "secured-live").lag().total() == 0);
  }

  private static GroupStatus group(ConsumerGroupPolicyStatus status, String groupId) {
    return status.groups().stream()
        .filter(g -> g.groupId().equals(groupId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no group " + groupId));
  }
}
