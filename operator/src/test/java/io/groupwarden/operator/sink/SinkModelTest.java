package io.groupwarden.operator.sink;

import static io.groupwarden.operator.support.MongoSinks.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.BatchSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.StoreOutage;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.WriteConcern;
import io.groupwarden.operator.support.MongoSinks;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SinkModelTest {
  private static final SinkPlan PLAN = new SinkPlan("kafka:9092", "orders-sink", "orders.dlq", 3);

  /** The sink shop/orders-sink of topic orders, writing with majority and pausing on outages. */
  private static MongoSinks orders() {
    return topic("orders").writeConcern(WriteConcern.MAJORITY).onStoreOutage(StoreOutage.PAUSE);
  }

  private static MongoSink ordersSink() {
    return orders().sink("shop", "orders-sink");
  }

  private static Map<String, EnvVar> env(StatefulSet sts) {
    Container worker = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    return worker.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  @Test
  void theStatefulSetRunsThePlannedWorkersWithStableInstanceIds() {
    StatefulSet sts = SinkModel.of(ordersSink(), PLAN, "sink:1").statefulSet();

    assertThat(sts.getMetadata().getName()).isEqualTo("orders-sink-worker");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getServiceName()).isEqualTo("orders-sink-worker");
    Map<String, EnvVar> env = env(sts);
    assertThat(env.get("SINK_INSTANCE_ID").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    assertThat(env.get("SINK_BOOTSTRAP_SERVERS").getValue()).isEqualTo("kafka:9092");
    assertThat(env.get("SINK_TOPIC").getValue()).isEqualTo("orders");
    assertThat(env.get("SINK_GROUP_ID").getValue()).isEqualTo("orders-sink");
    assertThat(env.get("SINK_DEAD_LETTER_TOPIC").getValue()).isEqualTo("orders.dlq");
    assertThat(env.get("SINK_WRITE_CONCERN").getValue()).isEqualTo("majority");
    assertThat(env.get("SINK_ON_STORE_OUTAGE").getValue()).isEqualTo("pause");
  }

  @Test
  void theMongoUriComesFromTheSecretAndIsNeverCopied() {
    StatefulSet sts = SinkModel.of(ordersSink(), PLAN, "sink:1").statefulSet();

    var uri = env(sts).get("SINK_MONGODB_URI");
    assertThat(uri.getValue()).isNull();
    assertThat(uri.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mongo");
    assertThat(uri.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("uri");
  }

  @Test
  void batchSettingsBecomeWorkerVariables() {
    StatefulSet sts =
        SinkModel.of(
                orders().batch(new BatchSpec(500, 5000, 5, "2s")).sink("shop", "orders-sink"),
                PLAN,
                "sink:1")
            .statefulSet();

    Map<String, EnvVar> env = env(sts);
    assertThat(env.get("SINK_BATCH_SIZE").getValue()).isEqualTo("500");
    assertThat(env.get("SINK_COMMIT_EVERY").getValue()).isEqualTo("5000");
    assertThat(env.get("SINK_MAX_RETRIES").getValue()).isEqualTo("5");
    assertThat(env.get("SINK_RETRY_BACKOFF").getValue()).isEqualTo("2s");
  }

  @Test
  void saslAndTlsAreReferencesToSecretsAndAMountedCaFile() {
    MongoSink sink =
        orders()
            .bootstrapServers("kafka:9093")
            .tls(new KafkaTls(new SecretKeyRef("kafka-ca", "ca.crt"), null, null))
            .sasl(
                new KafkaSasl(
                    KafkaSasl.Mechanism.SCRAM_SHA_512,
                    "sink",
                    null,
                    new SecretKeyRef("kafka-user", "password")))
            .sink("shop", "orders-sink");

    // the reconciler hands the spec's settings on for an existing cluster
    SinkPlan plan =
        new SinkPlan(
            "kafka:9093",
            "orders-sink",
            "orders.dlq",
            3,
            sink.getSpec().kafka().tls(),
            sink.getSpec().kafka().sasl(),
            null);
    StatefulSet sts = SinkModel.of(sink, plan, "sink:1").statefulSet();

    Map<String, EnvVar> env = env(sts);
    assertThat(env.get("SINK_KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
    assertThat(env.get("SINK_KAFKA_SASL_MECHANISM").getValue()).isEqualTo("SCRAM-SHA-512");
    assertThat(env.get("SINK_KAFKA_SASL_USERNAME").getValue()).isEqualTo("sink");
    assertThat(env.get("SINK_KAFKA_SASL_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("kafka-user");
    assertThat(env.get("SINK_KAFKA_SSL_TRUSTSTORE_TYPE").getValue()).isEqualTo("PEM");
    assertThat(env.get("SINK_KAFKA_SSL_TRUSTSTORE_LOCATION").getValue())
        .isEqualTo("/etc/groupwarden/kafka-tls/ca.crt");
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("kafka-ca");
  }

  @Test
  void onAManagedCoordinatorWorkersUseTheSinksOwnUserAndTheCoordinatorsCa() {
    SinkPlan plan =
        new SinkPlan(
            "orders-coordinator.shop.svc:9093",
            "orders-sink",
            "orders.dlq",
            2,
            new KafkaTls(new SecretKeyRef("orders-coordinator-ca", "ca.crt"), null, null),
            new KafkaSasl(
                KafkaSasl.Mechanism.SCRAM_SHA_512,
                null,
                new SecretKeyRef(
                    "orders-coordinator-user-groupwarden-sink-orders-sink", "username"),
                new SecretKeyRef(
                    "orders-coordinator-user-groupwarden-sink-orders-sink", "password")),
            "0123456789abcdef");

    StatefulSet sts = SinkModel.of(ordersSink(), plan, "sink:1").statefulSet();

    Map<String, EnvVar> env = env(sts);
    assertThat(env.get("SINK_BOOTSTRAP_SERVERS").getValue())
        .isEqualTo("orders-coordinator.shop.svc:9093");
    assertThat(env.get("SINK_KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
    assertThat(env.get("SINK_KAFKA_SASL_USERNAME").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("orders-coordinator-user-groupwarden-sink-orders-sink");
    assertThat(env.get("SINK_KAFKA_SASL_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("password");
    // credentials come from the Secret, never as a literal value in the pod spec
    assertThat(env.values())
        .filteredOn(v -> v.getValue() != null)
        .allSatisfy(v -> assertThat(v.getValue()).doesNotContain("password"));
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("orders-coordinator-ca");
    // a new CA restarts the workers, which read their trust store at start
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("groupwarden.io/kafka-trust", "0123456789abcdef");
  }

  @Test
  void workersRunAsNonRootWithAReadOnlyRootFilesystemAndHealthProbes() {
    StatefulSet sts = SinkModel.of(ordersSink(), PLAN, "sink:1").statefulSet();

    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container worker = pod.getContainers().get(0);
    assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(worker.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(worker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(worker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(worker.getPorts().get(0).getContainerPort()).isEqualTo(8001);
  }

  @Test
  void theSelectorMatchesThePodLabels() {
    MongoSink sink = ordersSink();
    StatefulSet sts = SinkModel.of(sink, PLAN, "sink:1").statefulSet();

    assertThat(SinkModel.selector(sink))
        .isEqualTo(
            "app.kubernetes.io/name=groupwarden-sink,app.kubernetes.io/instance=orders-sink,"
                + "app.kubernetes.io/component=sink,app.kubernetes.io/managed-by=groupwarden");
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    assertThat(Serialization.asJson(sts)).doesNotContain("mongodb://");
  }
}
