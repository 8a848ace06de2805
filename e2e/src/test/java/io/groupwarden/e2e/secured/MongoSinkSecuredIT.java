package io.groupwarden.e2e.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.sink.SinkWorker;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.bson.Document;
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
  private static final String NS = "shop";
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
      TestResources.apply(
          client,
          ConsumerGroupPolicy.class,
          NS,
          """
          apiVersion: groupwarden.io/v1alpha1
          kind: ConsumerGroupPolicy
          metadata: {name: orders, namespace: shop}
          spec:
            kafka:
              coordinator:
                users: [producer]
            groups: [orders-sink]
            interval: 1s
          """);
      try (ManagedCoordinatorProcess coordinator =
          ManagedCoordinatorProcess.start(client, NS, "orders", POD_ADDRESS, dir.resolve("pod"))) {
        CoordinatorStatus status =
            await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> SecuredClients.coordinator(client, NS, "orders"), s -> s.ready());
        assertThat(status.bootstrapServers()).isEqualTo("orders-coordinator.shop.svc:9093");
        assertThat(status.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(status.caSecret().name()).isEqualTo("orders-coordinator-ca");
        assertThat(status.plaintextBootstrapServers()).isNull();

        Map<String, Object> producer = SecuredClients.as(client, NS, "orders", "producer");
        try (KafkaTestClients kafka = new KafkaTestClients(status.bootstrapServers(), producer)) {
          kafka.createTopic("orders", 2);
          for (int i = 0; i < 200; i++) {
            kafka.produceTo(
                "orders",
                i % 2,
                i % 50 == 0 ? "not json " + i : "{\"message_id\":\"o-" + i + "\",\"n\":" + i + "}");
          }
          refusesAWrongPassword(status.bootstrapServers(), producer);

          client
              .secrets()
              .inNamespace(NS)
              .resource(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withName("mongo")
                      .endMetadata()
                      .addToStringData("uri", mongoUri)
                      .build())
              .create();
          TestResources.apply(
              client,
              MongoSink.class,
              NS,
              """
              apiVersion: groupwarden.io/v1alpha1
              kind: MongoSink
              metadata: {name: orders-sink, namespace: shop}
              spec:
                kafka: {policyRef: {name: orders}, topic: orders}
                mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders, writeConcern: w1}
                batch: {size: 50, retryBackoff: 200ms}
              """);
          TestResources.apply(
              client,
              LagMonitor.class,
              NS,
              """
              apiVersion: groupwarden.io/v1alpha1
              kind: LagMonitor
              metadata: {name: orders-lag, namespace: shop}
              spec:
                kafka: {policyRef: {name: orders}, groups: [orders-sink]}
                interval: 1s
              """);

          StatefulSet workers =
              await()
                  .atMost(Duration.ofSeconds(90))
                  .until(
                      () ->
                          client
                              .apps()
                              .statefulSets()
                              .inNamespace(NS)
                              .withName("orders-sink-worker")
                              .get(),
                      s -> s != null && s.getSpec().getReplicas() == 2);
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
          SinkWorker worker =
              SinkWorker.create(SinkConfig.fromEnvironment(env), sinkMetrics, Clock.systemUTC());
          Thread thread = new Thread(worker, "e2e-secured-sink-worker");
          thread.start();
          try {
            await()
                .atMost(Duration.ofSeconds(90))
                .until(
                    () ->
                        reader.getDatabase("shop").getCollection("orders").countDocuments() == 196);
            assertThat(
                    reader
                        .getDatabase("shop")
                        .getCollection("orders")
                        .find(new Document("_id", "o-7"))
                        .first())
                .containsEntry("n", 7);
            await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(kafka) == 4);
            await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(
                    () ->
                        client
                                .resources(MongoSink.class)
                                .inNamespace(NS)
                                .withName("orders-sink")
                                .get()
                                .getStatus()
                                .lag()
                            == 0);
          } finally {
            worker.stop();
            worker.awaitStopped(Duration.ofSeconds(30));
          }

          LagMonitorStatus monitor =
              await()
                  .atMost(Duration.ofSeconds(60))
                  .ignoreExceptions()
                  .until(
                      () ->
                          client
                              .resources(LagMonitor.class)
                              .inNamespace(NS)
                              .withName("orders-lag")
                              .get()
                              .getStatus(),
                      s ->
                          s.sources() != null
                              && s.sources().stream()
                                  .anyMatch(
                                      source ->
                                          "orders".equals(source.name()) && source.lag() == 0));
          assertThat(monitor.sources()).allSatisfy(s -> assertThat(s.error()).isNull());

          ConsumerGroupPolicyStatus policy =
              await()
                  .atMost(Duration.ofSeconds(60))
                  .ignoreExceptions()
                  .until(
                      () ->
                          client
                              .resources(ConsumerGroupPolicy.class)
                              .inNamespace(NS)
                              .withName("orders")
                              .get()
                              .getStatus(),
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
          Map<String, String> secrets = SecretLeaks.secrets(client, NS);
          assertThat(secrets.keySet())
              .anyMatch(k -> k.startsWith("orders-coordinator-tls/tls.key"))
              .anyMatch(k -> k.startsWith("orders-coordinator-ca-key/ca.key"))
              .contains("orders-coordinator-http-token/token")
              .contains("orders-coordinator-user-groupwarden-operator/password");
          SecretLeaks.assertNoneIn("the operator's and the worker's logs", logs.text(), secrets);
          SecretLeaks.assertNoneIn("the coordinator's log", coordinator.logText(), secrets);
          SecretLeaks.assertNoneIn(
              "status and events",
              SecretLeaks.statusAndEvents(
                  client,
                  NS,
                  List.of(ConsumerGroupPolicy.class, MongoSink.class, LagMonitor.class)),
              secrets);
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

  private static long deadLetters(KafkaTestClients kafka) throws Exception {
    return kafka
        .admin()
        .listOffsets(Map.of(new TopicPartition("orders.dlq", 0), OffsetSpec.latest()))
        .all()
        .get()
        .values()
        .iterator()
        .next()
        .offset();
  }
}
