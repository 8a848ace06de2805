package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.sink.SinkWorker;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The operator's MongoSink and the sink worker together, on the coordinator broker: the worker runs
 * with exactly the environment the operator wrote into the worker StatefulSet (Secret references
 * resolved as the kubelet would), and the messages arrive in MongoDB.
 */
class MongoSinkEndToEndIT {
  private static final String NS = "shop";

  @Test
  void theWorkerConfiguredByTheOperatorSinksTheTopicIntoMongo() throws Exception {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    String mongoUri = mongo.bindAndGetConnectionString();
    try (Coordinator coordinator = InProcessCoordinator.start("sink-e2e");
        OperatorHarness harness = OperatorHarness.start(Map.of("GROUPWARDEN_SINK_RESYNC", "1s"));
        KafkaTestClients kafka = new KafkaTestClients(coordinator.bootstrapServers());
        MongoClient reader = MongoClients.create(mongoUri)) {
      KubernetesClient client = harness.client();
      kafka.createTopic("orders", 2);
      for (int i = 0; i < 500; i++) {
        kafka.produceTo(
            "orders",
            i % 2,
            i % 50 == 0 ? "not json " + i : "{\"message_id\":\"o-" + i + "\",\"n\":" + i + "}");
      }
      TestResources.createSecret(client, NS, "mongo", "uri", mongoUri);
      TestResources.apply(
          client,
          MongoSink.class,
          NS,
          """
          apiVersion: groupwarden.io/v1alpha1
          kind: MongoSink
          metadata: {name: orders-sink, namespace: shop}
          spec:
            kafka: {bootstrapServers: "%s", topic: orders}
            mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders, writeConcern: w1}
            batch: {size: 50, retryBackoff: 200ms}
          """
              .formatted(coordinator.bootstrapServers()));

      StatefulSet workers =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      client
                          .apps()
                          .statefulSets()
                          .inNamespace(NS)
                          .withName("orders-sink-worker")
                          .get(),
                  s -> s != null && s.getSpec().getReplicas() == 2);
      Map<String, String> env = podEnvironment(client, workers, 0);
      assertThat(env)
          .containsEntry("SINK_INSTANCE_ID", "orders-sink-worker-0")
          .containsEntry("SINK_MONGODB_URI", mongoUri);

      SinkWorker worker =
          SinkWorker.create(SinkConfig.fromEnvironment(env), new SinkMetrics(), Clock.systemUTC());
      Thread thread = new Thread(worker, "e2e-sink-worker");
      thread.start();
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> reader.getDatabase("shop").getCollection("orders").countDocuments() == 490);
        assertThat(
                reader
                    .getDatabase("shop")
                    .getCollection("orders")
                    .find(new Document("_id", "o-7"))
                    .first())
            .containsEntry("n", 7);
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(kafka) == 10);
        TestResources.awaitStatus(
            client,
            MongoSink.class,
            NS,
            "orders-sink",
            Duration.ofSeconds(60),
            status -> status.lag() != null && status.lag() == 0);
      } finally {
        worker.stop();
        worker.awaitStopped(Duration.ofSeconds(30));
      }
    } finally {
      mongo.shutdownNow();
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

  /** The container environment as the kubelet would give pod {@code ordinal}. */
  private static Map<String, String> podEnvironment(
      KubernetesClient client, StatefulSet sts, int ordinal) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        Secret secret =
            client
                .secrets()
                .inNamespace(NS)
                .withName(var.getValueFrom().getSecretKeyRef().getName())
                .get();
        String key = var.getValueFrom().getSecretKeyRef().getKey();
        String value =
            secret.getStringData() != null && secret.getStringData().containsKey(key)
                ? secret.getStringData().get(key)
                : new String(
                    Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        env.put(var.getName(), value);
      } else if ("metadata.name".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(var.getName(), sts.getMetadata().getName() + "-" + ordinal);
      }
    }
    return env;
  }
}
