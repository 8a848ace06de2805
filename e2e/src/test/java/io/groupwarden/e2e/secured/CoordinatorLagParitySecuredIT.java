package io.groupwarden.e2e.secured;

import static io.groupwarden.e2e.ParityWorkload.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.e2e.LagMonitors;
import io.groupwarden.e2e.ParityPolicies;
import io.groupwarden.e2e.ParityWorkload;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
  private static final ParityWorkload WORKLOAD = new ParityWorkload("secured");

  @TempDir Path dir;

  @Test
  void theSecuredManagedCoordinatorGivesTheSameLagAsApacheKafka() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    try (LogCapture logs = new LogCapture();
        OperatorHarness harness = OperatorHarness.start()) {
      KubernetesClient client = harness.client();
      try (SecuredCoordinator coordinator =
          SecuredCoordinator.start(
              client,
              NS,
              "parity",
              List.of("parity-client"),
              WORKLOAD.groups(),
              POD_ADDRESS,
              dir.resolve("pod"))) {
        Map<String, Object> secured = coordinator.clientSettings("parity-client");
        String coordinatorBootstrap = coordinator.status().bootstrapServers();

        WORKLOAD.write(coordinatorBootstrap, secured);
        WORKLOAD.write(kafka.bootstrapServers(), Map.of());
        try (ConsumerLoop onCoordinator = WORKLOAD.liveMember(coordinatorBootstrap, secured);
            ConsumerLoop onKafka = WORKLOAD.liveMember(kafka.bootstrapServers(), Map.of())) {
          ParityPolicies.apply(client, "on-kafka", kafka.bootstrapServers(), WORKLOAD.groups());
          LagMonitors.apply(
              client, NS, "via-coordinator", "policyRef: {name: parity}", WORKLOAD.app());
          LagMonitors.apply(
              client,
              NS,
              "via-kafka",
              "bootstrapServers: \"%s\"".formatted(kafka.bootstrapServers()),
              WORKLOAD.app());

          ConsumerGroupPolicyStatus viaCoordinator = WORKLOAD.settled(client, "parity");
          ConsumerGroupPolicyStatus viaKafka = WORKLOAD.settled(client, "on-kafka");
          GroupStatus committedOnly = group(viaCoordinator, "secured-app");
          assertThat(committedOnly.lag().total()).isEqualTo(50); // 40-10, 30-30, 20 from log start
          WORKLOAD.assertGroupsAlike(viaCoordinator, viaKafka);

          Source monitoredOnCoordinator = parityOrders(client, "via-coordinator");
          Source monitoredOnKafka = parityOrders(client, "via-kafka");
          assertThat(monitoredOnCoordinator.error()).isNull();
          assertThat(monitoredOnCoordinator.lag()).isPositive().isEqualTo(monitoredOnKafka.lag());
          assertThat(SecuredClients.coordinator(client, NS, "parity").users())
              .extracting(u -> u.name())
              .contains("groupwarden-operator", "groupwarden-lagmonitor-via-coordinator");

          coordinator.assertNoSecretLeaks(
              logs.text(), List.of(ConsumerGroupPolicy.class, LagMonitor.class));
        }
      }
    }
  }

  /** The monitor's entry for secured-app on secured-orders, once it has read one. */
  private static Source parityOrders(KubernetesClient client, String monitor) {
    return LagMonitors.awaitSource(
        client, NS, monitor, WORKLOAD.orders(), WORKLOAD.app(), source -> source.lag() >= 0);
  }
}
