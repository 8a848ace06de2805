package io.groupwarden.operator.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.Conditions;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MongoSink reconciler against the mock API server and a real Kafka broker. */
class MongoSinkIT {
  private static final String NS = "sinks";
  private static final String MONGO_URI = "mongodb://sink:hunter2@mongo.sinks.svc:27017";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static KafkaBroker broker;
  private static KafkaTestClients kafka;
  private static OperatorHarness harness;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.shared();
    kafka = new KafkaTestClients(broker.bootstrapServers());
    harness = OperatorHarness.start(Map.of("GROUPWARDEN_SINK_RESYNC", "1s"));
    client = harness.client();
    createMongoSecret("mongo");
  }

  @AfterAll
  static void stop() {
    harness.close();
    kafka.close();
  }

  @Test
  void workersFollowThePartitionCountAndTheDeadLetterTopicIsCreated() throws Exception {
    kafka.createTopic("follow-orders", 3);
    apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: follow, namespace: sinks}
        spec:
          kafka: {bootstrapServers: "%s", topic: follow-orders}
          mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders}
        """
            .formatted(broker.bootstrapServers()));

    await().atMost(PATIENCE).until(() -> replicas("follow") == 3);
    MongoSinkStatus status =
        awaitStatus("follow", s -> s.partitions() != null && s.partitions() == 3);
    assertThat(status.desiredReplicas()).isEqualTo(3);
    assertThat(status.selector()).contains("app.kubernetes.io/instance=follow");
    assertThat(status.bootstrapServers()).isEqualTo(broker.bootstrapServers());
    assertThat(kafka.admin().listTopics().names().get()).contains("follow-orders.dlq");
    String workers = Serialization.asJson(statefulSet("follow"));
    assertThat(workers).doesNotContain("hunter2").contains("\"secretKeyRef\"");

    kafka
        .admin()
        .createPartitions(Map.of("follow-orders", NewPartitions.increaseTo(5)))
        .all()
        .get();

    await().atMost(PATIENCE).until(() -> replicas("follow") == 5);
    assertThat(awaitStatus("follow", s -> s.partitions() == 5).desiredReplicas()).isEqualTo(5);
  }

  @Test
  void lagScalesWorkersUpAtOnceAndDownAfterStabilization() {
    kafka.createTopic("lag-orders", 4);
    kafka.produce("lag-orders", 4, 5); // 20 messages of backlog
    apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: laggy, namespace: sinks}
        spec:
          kafka: {bootstrapServers: "%s", topic: lag-orders, groupId: laggy-group}
          mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders}
          autoscale: {minReplicas: 1, maxReplicas: 4, lagPerReplica: 10, scaleDownStabilization: 3s}
        """
            .formatted(broker.bootstrapServers()));
    await().atMost(PATIENCE).until(() -> replicas("laggy") == 2); // ceil(20 / 10)

    kafka.produce("lag-orders", 4, 10); // 60 messages: ceil(60 / 10) = 6, capped at 4 partitions

    await().atMost(PATIENCE).until(() -> replicas("laggy") == 4);
    await().atMost(PATIENCE).until(() -> !events("laggy", "Scaled").isEmpty());
    assertThat(events("laggy", "Scaled").get(0).getMessage())
        .contains("from 2 to 4")
        .contains("lag 60");

    Map<TopicPartition, Long> caughtUp = new java.util.HashMap<>();
    for (int p = 0; p < 4; p++) {
      caughtUp.put(new TopicPartition("lag-orders", p), 15L);
    }
    kafka.commit("laggy-group", caughtUp);

    MongoSinkStatus stabilizing = awaitStatus("laggy", s -> s.lag() != null && s.lag() == 0);
    assertThat(stabilizing.desiredReplicas()).as("held during stabilization").isEqualTo(4);
    await().atMost(PATIENCE).until(() -> replicas("laggy") == 1);
    MongoSinkStatus down = awaitStatus("laggy", s -> s.desiredReplicas() == 1);
    assertThat(down.lastScaleTime()).isNotNull();
  }

  @Test
  void fixedReplicasAreRespectedAndCappedAtThePartitionCount() {
    kafka.createTopic("fixed-orders", 2);
    apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: fixed, namespace: sinks}
        spec:
          kafka: {bootstrapServers: "%s", topic: fixed-orders}
          mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders}
          replicas: 10
        """
            .formatted(broker.bootstrapServers()));

    await().atMost(PATIENCE).until(() -> replicas("fixed") == 2);
    MongoSinkStatus capped =
        awaitStatus("fixed", s -> "CappedAtPartitions".equals(condition(s, "Scaling").reason()));
    assertThat(condition(capped, "Scaling").message()).contains("10").contains("2 partitions");

    // what `kubectl scale msink fixed --replicas=1`, an HPA or KEDA do: write the scale subresource
    var scale = client.resources(MongoSink.class).inNamespace(NS).withName("fixed").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(10);
    assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=fixed");
    scale.getSpec().setReplicas(1);
    client.resources(MongoSink.class).inNamespace(NS).withName("fixed").scale(scale);

    await().atMost(PATIENCE).until(() -> replicas("fixed") == 1);
    assertThat(
            awaitStatus("fixed", s -> "Fixed".equals(condition(s, "Scaling").reason()))
                .desiredReplicas())
        .isEqualTo(1);
  }

  @Test
  void aMissingSecretIsNamedAndTheSinkStartsOnceItExists() {
    kafka.createTopic("secret-orders", 1);
    apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: nosecret, namespace: sinks}
        spec:
          kafka: {bootstrapServers: "%s", topic: secret-orders}
          mongodb: {uriSecretRef: {name: late-mongo, key: uri}, database: shop, collection: orders}
        """
            .formatted(broker.bootstrapServers()));

    MongoSinkStatus missing =
        awaitStatus("nosecret", s -> "SecretNotFound".equals(condition(s, "Ready").reason()));
    assertThat(condition(missing, "Ready").message())
        .contains("spec.mongodb.uriSecretRef")
        .contains("late-mongo");
    assertThat(statefulSet("nosecret")).isNull();

    createMongoSecret("late-mongo");

    await().atMost(PATIENCE).until(() -> replicas("nosecret") == 1);
    awaitStatus("nosecret", s -> "WorkersStarting".equals(condition(s, "Ready").reason()));
  }

  @Test
  void aMissingTopicIsNamed() {
    apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: notopic, namespace: sinks}
        spec:
          kafka: {bootstrapServers: "%s", topic: no-such-topic}
          mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders}
        """
            .formatted(broker.bootstrapServers()));

    MongoSinkStatus status =
        awaitStatus("notopic", s -> "TopicNotFound".equals(condition(s, "Ready").reason()));
    assertThat(condition(status, "Ready").message()).contains("no-such-topic");
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void createMongoSecret(String name) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("uri", MONGO_URI)
                .build())
        .create();
  }

  private static void apply(String yaml) {
    TestResources.apply(client, MongoSink.class, NS, yaml);
  }

  private static StatefulSet statefulSet(String sink) {
    return client.apps().statefulSets().inNamespace(NS).withName(sink + "-worker").get();
  }

  private static int replicas(String sink) {
    StatefulSet sts = statefulSet(sink);
    return sts == null ? -1 : sts.getSpec().getReplicas();
  }

  private static MongoSinkStatus awaitStatus(String name, Predicate<MongoSinkStatus> test) {
    return await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .until(
            () ->
                client.resources(MongoSink.class).inNamespace(NS).withName(name).get().getStatus(),
            s -> s != null && test.test(s));
  }

  private static Condition condition(MongoSinkStatus status, String type) {
    return Conditions.find(status.conditions(), type).orElseThrow();
  }

  private static List<Event> events(String sink, String reason) {
    return TestResources.events(client, NS, sink, reason);
  }
}
