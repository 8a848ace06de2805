package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.sink.SinkWorker;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;

/**
 * The MongoSink the sink end-to-end tests share: MongoSink {@code orders-sink} in namespace {@code
 * shop} copies topic {@code orders} (two partitions, every 50th record not JSON) into collection
 * {@code shop.orders}, dead-lettering what is not JSON to {@code orders.dlq}; and the checks that a
 * worker configured by the operator does so.
 */
public final class OrdersSink {
  public static final String NAMESPACE = "shop";
  private static final String NAME = "orders-sink";
  private static final String TOPIC = "orders";
  private static final int NOT_JSON_EVERY = 50;

  private OrdersSink() {}

  /**
   * Creates the topic and writes {@code count} records, alternating partitions; record {@code i} is
   * {@code {"message_id":"o-<i>","n":<i>}}, or text that is not JSON for every 50th.
   */
  public static void produce(KafkaTestClients kafka, int count) {
    kafka.createTopic(TOPIC, 2);
    for (int i = 0; i < count; i++) {
      kafka.produceTo(
          TOPIC,
          i % 2,
          i % NOT_JSON_EVERY == 0
              ? "not json " + i
              : "{\"message_id\":\"o-" + i + "\",\"n\":" + i + "}");
    }
  }

  /**
   * Stores {@code mongoUri} in Secret {@code mongo} and applies the MongoSink.
   *
   * @param kafkaSource what stands in {@code spec.kafka} beside the topic, e.g. {@code policyRef:
   *     {name: orders}}
   */
  public static void apply(KubernetesClient client, String kafkaSource, String mongoUri) {
    TestResources.createSecret(client, NAMESPACE, "mongo", "uri", mongoUri);
    TestResources.applySpec(
        client,
        MongoSink.class,
        NAMESPACE,
        NAME,
        """
        kafka: {%s, topic: %s}
        mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders, writeConcern: w1}
        batch: {size: 50, retryBackoff: 200ms}
        """
            .formatted(kafkaSource, TOPIC));
  }

  /** The worker StatefulSet, once the operator has written it with one replica a partition. */
  public static StatefulSet awaitWorkers(KubernetesClient client) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                client
                    .apps()
                    .statefulSets()
                    .inNamespace(NAMESPACE)
                    .withName(NAME + "-worker")
                    .get(),
            s -> s != null && s.getSpec().getReplicas() == 2);
  }

  /**
   * Runs a worker with {@code environment} until the {@code produced} records are in MongoDB or
   * dead-lettered and the MongoSink's status shows no lag; then stops it.
   */
  public static void sinkWithWorker(
      Map<String, String> environment,
      SinkMetrics metrics,
      int produced,
      KubernetesClient client,
      KafkaTestClients kafka,
      MongoClient reader)
      throws InterruptedException {
    int notJson = (produced + NOT_JSON_EVERY - 1) / NOT_JSON_EVERY;
    SinkWorker worker =
        SinkWorker.create(SinkConfig.fromEnvironment(environment), metrics, Clock.systemUTC());
    Thread thread = new Thread(worker, "e2e-sink-worker");
    thread.start();
    try {
      MongoCollection<Document> orders = reader.getDatabase("shop").getCollection("orders");
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> orders.countDocuments() == produced - notJson);
      assertThat(orders.find(new Document("_id", "o-7")).first()).containsEntry("n", 7);
      await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(kafka) == notJson);
      TestResources.awaitStatus(
          client,
          MongoSink.class,
          NAMESPACE,
          NAME,
          Duration.ofSeconds(60),
          status -> status.lag() != null && status.lag() == 0);
    } finally {
      worker.stop();
      worker.awaitStopped(Duration.ofSeconds(30));
    }
  }

  private static long deadLetters(KafkaTestClients kafka) throws Exception {
    return kafka.logEnd(new TopicPartition(TOPIC + ".dlq", 0));
  }
}
