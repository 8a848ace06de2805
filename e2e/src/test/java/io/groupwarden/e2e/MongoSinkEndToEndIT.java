package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's MongoSink and the sink worker together, on the coordinator broker: the worker runs
 * with exactly the environment the operator wrote into the worker StatefulSet (Secret references
 * resolved as the kubelet would), and the messages arrive in MongoDB.
 */
class MongoSinkEndToEndIT {
  @TempDir Path dir;

  @Test
  void theWorkerConfiguredByTheOperatorSinksTheTopicIntoMongo() throws Exception {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    String mongoUri = mongo.bindAndGetConnectionString();
    try (Coordinator coordinator = InProcessCoordinator.start("sink-e2e");
        OperatorHarness harness = OperatorHarness.start(Map.of("GROUPWARDEN_SINK_RESYNC", "1s"));
        KafkaTestClients kafka = new KafkaTestClients(coordinator.bootstrapServers());
        MongoClient reader = MongoClients.create(mongoUri)) {
      KubernetesClient client = harness.client();
      OrdersSink.produce(kafka, 500);
      OrdersSink.apply(
          client, "bootstrapServers: \"%s\"".formatted(coordinator.bootstrapServers()), mongoUri);

      StatefulSet workers = OrdersSink.awaitWorkers(client);
      Map<String, String> env =
          new PodRuntime(client, OrdersSink.NAMESPACE, workers, 0, dir.resolve("worker-0"))
              .environment();
      assertThat(env)
          .containsEntry("SINK_INSTANCE_ID", "orders-sink-worker-0")
          .containsEntry("SINK_MONGODB_URI", mongoUri);

      OrdersSink.sinkWithWorker(env, new SinkMetrics(), 500, client, kafka, reader);
    } finally {
      mongo.shutdownNow();
    }
  }
}
