package io.groupwarden.operator.sink;

import static io.groupwarden.operator.support.OperatorTestEnvironment.PATIENCE;
import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import io.groupwarden.operator.support.CustomResources;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import java.util.Map;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MongoSink reconciler against the mock API server and a real Kafka broker. */
class MongoSinkIT {
  private static final String NS = "sinks";
  private static final String MONGO_URI = "mongodb://sink:hunter2@mongo.sinks.svc:27017";

  @RegisterExtension
  static final OperatorTestEnvironment env =
      OperatorTestEnvironment.inNamespace(NS)
          .withOperatorEnv(Map.of("GROUPWARDEN_SINK_RESYNC", "1s"));

  private static final CustomResources<MongoSink, MongoSinkStatus> sinks =
      env.resources(MongoSink.class);

  @BeforeAll
  static void createTheMongoSecret() {
    createMongoSecret("mongo");
  }

  @Test
  void workersFollowThePartitionCountAndTheDeadLetterTopicIsCreated() throws Exception {
    env.kafka().createTopic("follow-orders", 3);
    applySink("follow", "follow-orders", "mongo", "");

    await().atMost(PATIENCE).until(() -> replicas("follow") == 3);
    MongoSinkStatus status =
        sinks.awaitStatus("follow", s -> s.partitions() != null && s.partitions() == 3);
    assertThat(status.desiredReplicas()).isEqualTo(3);
    assertThat(status.selector()).contains("app.kubernetes.io/instance=follow");
    assertThat(status.bootstrapServers()).isEqualTo(env.broker().bootstrapServers());
    assertThat(env.kafka().admin().listTopics().names().get()).contains("follow-orders.dlq");
    String workers = Serialization.asJson(statefulSet("follow"));
    assertThat(workers).doesNotContain("hunter2").contains("\"secretKeyRef\"");

    env.kafka()
        .admin()
        .createPartitions(Map.of("follow-orders", NewPartitions.increaseTo(5)))
        .all()
        .get();

    await().atMost(PATIENCE).until(() -> replicas("follow") == 5);
    assertThat(sinks.awaitStatus("follow", s -> s.partitions() == 5).desiredReplicas())
        .isEqualTo(5);
  }

  @Test
  void lagScalesWorkersUpAtOnceAndDownAfterStabilization() {
    env.kafka().createTopic("lag-orders", 4);
    env.kafka().produce("lag-orders", 4, 5); // 20 messages of backlog
    sinks.applySpec(
        "laggy",
        """
        kafka: {bootstrapServers: "%s", topic: lag-orders, groupId: laggy-group}
        mongodb: {uriSecretRef: {name: mongo, key: uri}, database: shop, collection: orders}
        autoscale: {minReplicas: 1, maxReplicas: 4, lagPerReplica: 10, scaleDownStabilization: 3s}
        """
            .formatted(env.broker().bootstrapServers()));
    await().atMost(PATIENCE).until(() -> replicas("laggy") == 2); // ceil(20 / 10)

    env.kafka()
        .produce("lag-orders", 4, 10); // 60 messages: ceil(60 / 10) = 6, capped at 4 partitions

    await().atMost(PATIENCE).until(() -> replicas("laggy") == 4);
    await().atMost(PATIENCE).until(() -> !env.events("laggy", "Scaled").isEmpty());
    assertThat(env.events("laggy", "Scaled").get(0).getMessage())
        .contains("from 2 to 4")
        .contains("lag 60");

    env.kafka().commit("laggy-group", "lag-orders", 15, 15, 15, 15); // caught up

    MongoSinkStatus stabilizing = sinks.awaitStatus("laggy", s -> s.lag() != null && s.lag() == 0);
    assertThat(stabilizing.desiredReplicas()).as("held during stabilization").isEqualTo(4);
    await().atMost(PATIENCE).until(() -> replicas("laggy") == 1);
    MongoSinkStatus down = sinks.awaitStatus("laggy", s -> s.desiredReplicas() == 1);
    assertThat(down.lastScaleTime()).isNotNull();
  }

  @Test
  void fixedReplicasAreRespectedAndCappedAtThePartitionCount() {
    env.kafka().createTopic("fixed-orders", 2);
    applySink("fixed", "fixed-orders", "mongo", "replicas: 10");

    await().atMost(PATIENCE).until(() -> replicas("fixed") == 2);
    MongoSinkStatus capped =
        sinks.awaitStatus(
            "fixed", s -> "CappedAtPartitions".equals(condition(s, "Scaling").reason()));
    assertThat(condition(capped, "Scaling").message()).contains("10").contains("2 partitions");

    // what `kubectl scale msink fixed --replicas=1`, an HPA or KEDA do: write the scale subresource
    var scale = env.client().resources(MongoSink.class).inNamespace(NS).withName("fixed").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(10);
    assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=fixed");
    scale.getSpec().setReplicas(1);
    env.client().resources(MongoSink.class).inNamespace(NS).withName("fixed").scale(scale);

    await().atMost(PATIENCE).until(() -> replicas("fixed") == 1);
    assertThat(
            sinks
                .awaitStatus("fixed", s -> "Fixed".equals(condition(s, "Scaling").reason()))
                .desiredReplicas())
        .isEqualTo(1);
  }

  @Test
  void aMissingSecretIsNamedAndTheSinkStartsOnceItExists() {
    env.kafka().createTopic("secret-orders", 1);
    applySink("nosecret", "secret-orders", "late-mongo", "");

    MongoSinkStatus missing = sinks.awaitReadyReason("nosecret", "SecretNotFound");
    assertThat(condition(missing, "Ready").message())
        .contains("spec.mongodb.uriSecretRef")
        .contains("late-mongo");
    assertThat(statefulSet("nosecret")).isNull();

    createMongoSecret("late-mongo");

    await().atMost(PATIENCE).until(() -> replicas("nosecret") == 1);
    sinks.awaitReadyReason("nosecret", "WorkersStarting");
  }

  @Test
  void aMissingTopicIsNamed() {
    applySink("notopic", "no-such-topic", "mongo", "");

    MongoSinkStatus status = sinks.awaitReadyReason("notopic", "TopicNotFound");
    assertThat(condition(status, "Ready").message()).contains("no-such-topic");
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void createMongoSecret(String name) {
    env.createSecret(name, "uri", MONGO_URI);
  }

  private static StatefulSet statefulSet(String sink) {
    return env.client().apps().statefulSets().inNamespace(NS).withName(sink + "-worker").get();
  }

  private static int replicas(String sink) {
    StatefulSet sts = statefulSet(sink);
    return sts == null ? -1 : sts.getSpec().getReplicas();
  }

  /**
   * Sink {@code name} of {@code topic} on the shared broker into shop.orders with the URI in Secret
   * {@code uriSecret}, and {@code more} of its spec.
   */
  private static void applySink(String name, String topic, String uriSecret, String more) {
    sinks.applySpec(
        name,
        """
        kafka: {bootstrapServers: "%s", topic: %s}
        mongodb: {uriSecretRef: {name: %s, key: uri}, database: shop, collection: orders}
        %s
        """
            .formatted(env.broker().bootstrapServers(), topic, uriSecret, more));
  }
}
