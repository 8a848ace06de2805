package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.groupwarden.common.env.SinkEnv;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.RestrictedPod;
import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.common.WorkloadLabels;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.BatchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The worker StatefulSet and its headless Service as a pure function of a sink and the reconciler's
 * plan. Credentials reach the workers only as references to the Secrets; no secret value is ever
 * copied into these objects. The plan carries the Kafka security settings: the spec's for an
 * existing cluster, the coordinator's CA and the sink's own SCRAM user for a managed coordinator.
 */
public final class SinkModel {
  public static final int METRICS_PORT = 8001;
  static final String TLS_DIR = "/etc/groupwarden/kafka-tls";
  private static final long USER_ID = 10001;

  private final MongoSink sink;
  private final MongoSinkSpec spec;
  private final SinkPlan plan;
  private final String image;

  private SinkModel(MongoSink sink, SinkPlan plan, String defaultImage) {
    this.sink = sink;
    this.spec = sink.getSpec();
    this.plan = plan;
    this.image = spec.image() != null ? spec.image() : defaultImage;
  }

  public static SinkModel of(MongoSink sink, SinkPlan plan, String defaultImage) {
    return new SinkModel(sink, plan, defaultImage);
  }

  /** The StatefulSet and Service name: {@code <sink>-worker}; pods are {@code <sink>-worker-N}. */
  public static String workerName(MongoSink sink) {
    return sink.getMetadata().getName() + "-worker";
  }

  /** Labels of every object and the pod selector. */
  public static Map<String, String> labels(MongoSink sink) {
    return WorkloadLabels.of(WorkloadLabels.SINK, sink.getMetadata().getName());
  }

  /** The pod selector as the scale subresource reports it. */
  public static String selector(MongoSink sink) {
    return labels(sink).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  public Service headlessService() {
    return new ServiceBuilder()
        .withMetadata(metadata())
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(labels(sink))
        .addNewPort()
        .withName("metrics")
        .withPort(METRICS_PORT)
        .withTargetPort(new IntOrString("metrics"))
        .endPort()
        .endSpec()
        .build();
  }

  public StatefulSet statefulSet() {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    KafkaTls tls = plan.tls();
    if (tls != null && tls.caCertificate() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("kafka-tls")
              .withNewSecret()
              .withSecretName(tls.caCertificate().name())
              .addNewItem()
              .withKey(tls.caCertificate().key())
              .withPath("ca.crt")
              .endItem()
              .endSecret()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("kafka-tls")
              .withMountPath(TLS_DIR)
              .withReadOnly(true)
              .build());
    }
    Container worker =
        new ContainerBuilder()
            .withName("worker")
            .withImage(image)
            .withEnv(environment())
            .addNewPort()
            .withName("metrics")
            .withContainerPort(METRICS_PORT)
            .endPort()
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPath("/health")
            .withPort(new IntOrString("metrics"))
            .endHttpGet()
            .withInitialDelaySeconds(10)
            .withPeriodSeconds(10)
            .endLivenessProbe()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/health/ready")
            .withPort(new IntOrString("metrics"))
            .endHttpGet()
            .withPeriodSeconds(5)
            .endReadinessProbe()
            .withResources(resources())
            .withSecurityContext(RestrictedPod.containerSecurity())
            .withVolumeMounts(mounts)
            .build();
    return new StatefulSetBuilder()
        .withMetadata(metadata())
        .withNewSpec()
        .withReplicas(plan.replicas())
        .withServiceName(workerName(sink))
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(labels(sink))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels(sink))
        .addToAnnotations("prometheus.io/scrape", "true")
        .addToAnnotations("prometheus.io/port", String.valueOf(METRICS_PORT))
        .addToAnnotations("prometheus.io/path", "/metrics")
        .addToAnnotations(trustAnnotation())
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(60L)
        .withSecurityContext(RestrictedPod.podSecurity(USER_ID).build())
        .withContainers(worker)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  List<EnvVar> environment() {
    List<EnvVar> env = new ArrayList<>();
    env.add(value(SinkEnv.BOOTSTRAP_SERVERS, plan.bootstrapServers()));
    env.add(value(SinkEnv.TOPIC, spec.kafka().topic()));
    env.add(value(SinkEnv.GROUP_ID, plan.groupId()));
    env.add(
        new EnvVarBuilder()
            .withName(SinkEnv.INSTANCE_ID)
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(value(SinkEnv.DEAD_LETTER_TOPIC, plan.deadLetterTopic()));
    env.add(secret(SinkEnv.MONGODB_URI, spec.mongodb().uriSecretRef()));
    env.add(value(SinkEnv.MONGODB_DATABASE, spec.mongodb().database()));
    env.add(value(SinkEnv.MONGODB_COLLECTION, spec.mongodb().collection()));
    if (spec.mongodb().writeConcern() != null) {
      env.add(value(SinkEnv.WRITE_CONCERN, spec.mongodb().writeConcern().value()));
    }
    BatchSpec batch = spec.batch();
    if (batch != null) {
      if (batch.size() != null) {
        env.add(value(SinkEnv.BATCH_SIZE, String.valueOf(batch.size())));
      }
      if (batch.commitEvery() != null) {
        env.add(value(SinkEnv.COMMIT_EVERY, String.valueOf(batch.commitEvery())));
      }
      if (batch.maxRetries() != null) {
        env.add(value(SinkEnv.MAX_RETRIES, String.valueOf(batch.maxRetries())));
      }
      if (batch.retryBackoff() != null) {
        env.add(value(SinkEnv.RETRY_BACKOFF, batch.retryBackoff()));
      }
    }
    if (spec.onStoreOutage() != null) {
      env.add(value(SinkEnv.ON_STORE_OUTAGE, spec.onStoreOutage().value()));
    }
    env.add(value(SinkEnv.METRICS_PORT, String.valueOf(METRICS_PORT)));
    env.add(value("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=/tmp"));
    security(env);
    return env;
  }

  /** A new CA of a managed coordinator rolls the workers, which read their trust store at start. */
  private Map<String, String> trustAnnotation() {
    return plan.trustDigest() == null
        ? Map.of()
        : Map.of("groupwarden.io/kafka-trust", plan.trustDigest());
  }

  private void security(List<EnvVar> env) {
    KafkaTls tls = plan.tls();
    KafkaSasl sasl = plan.sasl();
    if (tls == null && sasl == null) {
      return;
    }
    String protocol = tls != null ? (sasl != null ? "SASL_SSL" : "SSL") : "SASL_PLAINTEXT";
    env.add(value(SinkEnv.KAFKA_SECURITY_PROTOCOL, protocol));
    if (tls != null && tls.caCertificate() != null) {
      env.add(value(SinkEnv.KAFKA_SSL_TRUSTSTORE_TYPE, "PEM"));
      env.add(value(SinkEnv.KAFKA_SSL_TRUSTSTORE_LOCATION, TLS_DIR + "/ca.crt"));
    }
    if (sasl != null) {
      env.add(value(SinkEnv.KAFKA_SASL_MECHANISM, sasl.mechanism().kafkaName()));
      env.add(
          sasl.usernameSecretRef() != null
              ? secret(SinkEnv.KAFKA_SASL_USERNAME, sasl.usernameSecretRef())
              : value(SinkEnv.KAFKA_SASL_USERNAME, sasl.username()));
      env.add(secret(SinkEnv.KAFKA_SASL_PASSWORD, sasl.passwordSecretRef()));
    }
  }

  private ResourceRequirements resources() {
    return RestrictedPod.resources(spec.resources(), "100m", "256Mi", "512Mi");
  }

  private ObjectMeta metadata() {
    return new ObjectMetaBuilder()
        .withName(workerName(sink))
        .withNamespace(sink.getMetadata().getNamespace())
        .withLabels(labels(sink))
        .build();
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secret(String name, SecretKeyRef ref) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(ref.name())
        .withKey(ref.key())
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
