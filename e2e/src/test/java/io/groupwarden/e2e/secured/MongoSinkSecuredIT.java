package io.groupwarden.e2e.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.e2e.LagMonitors;
import io.groupwarden.e2e.OrdersSink;
import io.groupwarden.e2e.PodRuntime;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink end to end on a managed coordinator that requires SASL_SSL, with no security settings in
 * any resource: the operator creates the CA, the broker certificate and the users; the coordinator
 * runs with the ConfigMap and Secrets the operator wrote; the operator governs the group as its own
 * user; the sink worker runs with the environment and CA file of its StatefulSet and its own user;
 * a LagMonitor reads the group's lag as its own user; a producer authenticates as a user the policy
 * lists. Afterwards no password, token or private key appears in any log, status, event or metrics
 * scrape.
 */
@EnabledIfSystemProperty(
    named = "jdk.net.hosts.file",
    matches = ".*cluster-hosts",
    disabledReason = "runs in the e2e module's secured-cluster test execution")
class MongoSinkSecuredIT {
  private static final String NS = OrdersSink.NAMESPACE;
  private static final String POD_ADDRESS = "127.0.0.61";

  @TempDir Path dir;

  @Test
  void theOperatorTheSinkWorkerAndALagMonitorUseTheSecuredCoordinatorEndToEnd() throws Exception {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    String mongoUri = mongo.bindAndGetConnectionString();
    try (LogCapture logs = new LogCapture();
        OperatorHarness harness = OperatorHarness.start(Map.of("GROUPWARDEN_SINK_RESYNC", "1s"));
        MongoClient reader = MongoClients.create(mongoUri)) {
      KubernetesClient client = harness.client();
      try (SecuredCoordinator coordinator =
          SecuredCoordinator.start(
              client,
              NS,
              "orders",
              List.of("producer"),
              List.of("orders-sink"),
              POD_ADDRESS,
              dir.resolve("pod"))) {
        CoordinatorStatus status = coordinator.status();
        assertThat(status.bootstrapServers()).isEqualTo("orders-coordinator.shop.svc:9093");
        assertThat(status.caSecret().name()).isEqualTo("orders-coordinator-ca");

        Map<String, Object> producer = coordinator.clientSettings("producer");
        try (KafkaTestClients kafka = new KafkaTestClients(status.bootstrapServers(), producer)) {
          OrdersSink.produce(kafka, 200);
          refusesAWrongPassword(status.bootstrapServers(), producer);

          OrdersSink.apply(client, "policyRef: {name: orders}", mongoUri);
          LagMonitors.apply(client, NS, "orders-lag", "policyRef: {name: orders}", "orders-sink");

          StatefulSet workers = OrdersSink.awaitWorkers(client);
          PodRuntime pod =
              new PodRuntime(client, NS, workers, 0, dir.resolve("worker-0")).writeSecretVolumes();
          Map<String, String> env = new HashMap<>(pod.environment());
          assertThat(env)
              .containsEntry("SINK_BOOTSTRAP_SERVERS", "orders-coordinator.shop.svc:9093")
              .containsEntry("SINK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
              .containsEntry("SINK_KAFKA_SASL_USERNAME", "groupwarden-sink-orders-sink");
          assertThat(Files.readString(Path.of(env.get("SINK_KAFKA_SSL_TRUSTSTORE_LOCATION"))))
              .contains("BEGIN CERTIFICATE");

          SinkMetrics sinkMetrics = new SinkMetrics();
          OrdersSink.sinkWithWorker(env, sinkMetrics, 200, client, kafka, reader);

          LagMonitors.awaitSource(
              client, NS, "orders-lag", "orders", "orders-sink", s -> s.lag() == 0);
          assertThat(
                  client
                      .resources(LagMonitor.class)
                      .inNamespace(NS)
                      .withName("orders-lag")
                      .get()
                      .getStatus()
                      .sources())
              .allSatisfy(s -> assertThat(s.error()).isNull());

          ConsumerGroupPolicyStatus policy =
              TestResources.awaitStatus(
                  client,
                  ConsumerGroupPolicy.class,
                  NS,
                  "orders",
                  Duration.ofSeconds(60),
                  s ->
                      s.groups() != null
                          && !s.groups().isEmpty()
                          && s.groups().get(0).lag().total() == 0);
          assertThat(policy.coordinator().users())
              .extracting(CoordinatorUser::name)
              .containsExactlyInAnyOrder(
                  "groupwarden-operator",
                  "producer",
                  "groupwarden-sink-orders-sink",
                  "groupwarden-lagmonitor-orders-lag");
          assertThat(policy.groups().get(0).topics()).containsExactly("orders");

          // nothing secret anywhere a person or a collector looks
          Map<String, String> secrets =
              coordinator.assertNoSecretLeaks(
                  logs.text(),
                  List.of(ConsumerGroupPolicy.class, MongoSink.class, LagMonitor.class));
          assertThat(secrets.keySet())
              .anyMatch(k -> k.startsWith("orders-coordinator-tls/tls.key"))
              .anyMatch(k -> k.startsWith("orders-coordinator-ca-key/ca.key"))
              .contains("orders-coordinator-http-token/token")
              .contains("orders-coordinator-user-groupwarden-operator/password");
          SecretLeaks.assertNoneIn(
              "the operator's /metrics",
              TestResources.scrape(harness.operator()::httpPort),
              secrets);
          SecretLeaks.assertNoneIn("the worker's metrics", sinkMetrics.scrape(), secrets);
          assertThat(logs.text()).contains("Created SCRAM user groupwarden-sink-orders-sink");
        }
      }
    } finally {
      mongo.shutdownNow();
    }
  }

  /** A client with the right CA but the wrong password is turned away with Kafka's error. */
  private static void refusesAWrongPassword(String bootstrap, Map<String, Object> producer) {
    Map<String, Object> wrong = new HashMap<>(producer);
    wrong.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"producer\""
            + " password=\"not-the-password\";");
    try (KafkaTestClients intruder = new KafkaTestClients(bootstrap, wrong)) {
      assertThatThrownBy(() -> intruder.admin().listTopics().names().get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }
}
