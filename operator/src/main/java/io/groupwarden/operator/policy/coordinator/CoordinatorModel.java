package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.common.env.CoordinatorEnv;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The desired objects of a policy's managed coordinator broker, as a pure function of the policy: a
 * StatefulSet of one with a volume, a headless Service for the pod's stable DNS name, a client
 * Service, and a ConfigMap holding the broker's settings and the client defaults of the groups.
 */
public final class CoordinatorModel {
  static final String DATA_DIR = "/var/lib/coordinator";
  private static final int USER_ID = 10001;

  private final ConsumerGroupPolicy policy;
  private final CoordinatorSpec spec;
  private final String image;

  private CoordinatorModel(ConsumerGroupPolicy policy, String defaultImage) {
    this.policy = policy;
    this.spec = policy.getSpec().kafka().coordinator();
    this.image = spec.image() != null ? spec.image() : defaultImage;
  }

  /** The model of {@code policy}'s coordinator; the policy must ask for one. */
  public static CoordinatorModel of(ConsumerGroupPolicy policy, String defaultImage) {
    if (policy.getSpec().kafka().coordinator() == null) {
      throw new IllegalArgumentException("the policy has no spec.kafka.coordinator");
    }
    return new CoordinatorModel(policy, defaultImage);
  }

  /** Labels on every object, and the pod selector. */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "groupwarden-coordinator");
    labels.put("app.kubernetes.io/instance", policy.getMetadata().getName());
    labels.put("app.kubernetes.io/component", "coordinator");
    labels.put("app.kubernetes.io/managed-by", "groupwarden");
    return labels;
  }

  public ConfigMap configMap() {
    Map<String, String> data = new LinkedHashMap<>();
    // The broker binds to loopback unless told otherwise; in a pod it must be reachable.
    data.put(CoordinatorEnv.HOST, "0.0.0.0");
    data.put(CoordinatorEnv.PORT, String.valueOf(ManagedCoordinatorNames.KAFKA_PORT));
    data.put(CoordinatorEnv.HTTP_PORT, String.valueOf(ManagedCoordinatorNames.HTTP_PORT));
    data.put(CoordinatorEnv.DATA_DIR, DATA_DIR);
    data.put(CoordinatorEnv.ADVERTISED_HOST, podHost());
    data.put(CoordinatorEnv.OFFSETS_RETENTION, offsetsRetention());
    data.put(CoordinatorEnv.GROUP_MAX_SESSION_TIMEOUT, "30m");
    // Consumer-protocol groups: the broker assigns, with the policy's assignor as its default.
    CoordinatorSpec.Assignor assignor = assignor();
    data.put(
        CoordinatorEnv.GROUP_CONSUMER_ASSIGNORS,
        assignor == CoordinatorSpec.Assignor.RANGE ? "range,uniform" : "uniform,range");
    java.time.Duration session = sessionTimeout();
    data.put(CoordinatorEnv.GROUP_CONSUMER_SESSION_TIMEOUT, session.toMillis() + "ms");
    data.put(
        CoordinatorEnv.GROUP_CONSUMER_HEARTBEAT_INTERVAL,
        Math.min(5_000, Math.max(1, session.toMillis() / 3)) + "ms");
    data.put("client.properties", clientProperties());
    return new ConfigMapBuilder()
        .withMetadata(metadata(ManagedCoordinatorNames.name(policy)))
        .withData(data)
        .build();
  }

  /**
   * Settings for the groups' consumers: mount this key into a consumer and it uses the broker with
   * the policy's assignor and timeouts. The broker cannot impose these; the clients choose them.
   */
  String clientProperties() {
    CoordinatorSpec.Assignor assignor = assignor();
    long rebalanceMs =
        KubeDuration.parseOr(spec.rebalanceTimeout(), java.time.Duration.ofMinutes(5)).toMillis();
    if (assignor == CoordinatorSpec.Assignor.UNIFORM) {
      // The consumer protocol: the broker assigns and sets the session; the client only names it.
      return "bootstrap.servers="
          + ManagedCoordinatorNames.bootstrapServers(policy)
          + "\ngroup.protocol=consumer"
          + "\ngroup.remote.assignor=uniform"
          + "\nmax.poll.interval.ms="
          + rebalanceMs
          + "\n";
    }
    String strategy =
        switch (assignor) {
          case UNIFORM -> throw new IllegalStateException("uniform is server-side only");
          case RANGE -> "org.apache.kafka.clients.consumer.RangeAssignor";
          case ROUNDROBIN -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
          case STICKY -> "org.apache.kafka.clients.consumer.StickyAssignor";
          case COOPERATIVE_STICKY -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
        };
    return "bootstrap.servers="
        + ManagedCoordinatorNames.bootstrapServers(policy)
        + "\npartition.assignment.strategy="
        + strategy
        + "\nsession.timeout.ms="
        + sessionTimeout().toMillis()
        + "\nmax.poll.interval.ms="
        + rebalanceMs
        + "\n";
  }

  private CoordinatorSpec.Assignor assignor() {
    return spec.assignor() == null ? CoordinatorSpec.Assignor.COOPERATIVE_STICKY : spec.assignor();
  }

  private java.time.Duration sessionTimeout() {
    return KubeDuration.parseOr(spec.sessionTimeout(), java.time.Duration.ofSeconds(45));
  }

  public Service headlessService() {
    return new ServiceBuilder()
        .withMetadata(metadata(ManagedCoordinatorNames.headlessName(policy)))
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(labels())
        .addNewPort()
        .withName("kafka")
        .withPort(ManagedCoordinatorNames.KAFKA_PORT)
        .withTargetPort(new IntOrString("kafka"))
        .endPort()
        .endSpec()
        .build();
  }

  public Service clientService() {
    return new ServiceBuilder()
        .withMetadata(metadata(ManagedCoordinatorNames.name(policy)))
        .withNewSpec()
        .withSelector(labels())
        .addNewPort()
        .withName("kafka")
        .withPort(ManagedCoordinatorNames.KAFKA_PORT)
        .withTargetPort(new IntOrString("kafka"))
        .endPort()
        .addNewPort()
        .withName("http")
        .withPort(ManagedCoordinatorNames.HTTP_PORT)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }

  public StatefulSet statefulSet() {
    CoordinatorSpec.StorageSpec storage =
        spec.storage() == null ? new CoordinatorSpec.StorageSpec(null, null) : spec.storage();
    String size = storage.size() == null ? "10Gi" : storage.size();
    return new StatefulSetBuilder()
        .withMetadata(metadata(ManagedCoordinatorNames.name(policy)))
        .withNewSpec()
        .withReplicas(1)
        .withServiceName(ManagedCoordinatorNames.headlessName(policy))
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(labels())
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels())
        .addToAnnotations(
            "groupwarden.io/config-hash", Integer.toHexString(configMap().getData().hashCode()))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser((long) USER_ID)
        .withRunAsGroup((long) USER_ID)
        .withFsGroup((long) USER_ID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addToContainers(
            new ContainerBuilder()
                .withName("coordinator")
                .withImage(image)
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName(ManagedCoordinatorNames.name(policy))
                .endConfigMapRef()
                .endEnvFrom()
                .addToEnv(
                    new EnvVarBuilder()
                        .withName("JAVA_TOOL_OPTIONS")
                        .withValue("-Djava.io.tmpdir=/tmp")
                        .build())
                .addNewPort()
                .withName("kafka")
                .withContainerPort(ManagedCoordinatorNames.KAFKA_PORT)
                .endPort()
                .addNewPort()
                .withName("http")
                .withContainerPort(ManagedCoordinatorNames.HTTP_PORT)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/health")
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withPeriodSeconds(5)
                .endReadinessProbe()
                .withNewLivenessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString("kafka"))
                .endTcpSocket()
                .withInitialDelaySeconds(10)
                .withPeriodSeconds(10)
                .endLivenessProbe()
                .withResources(resources())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("data")
                .withMountPath(DATA_DIR)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .build())
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .addToVolumeClaimTemplates(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .withLabels(labels())
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storage.storageClassName())
                .withNewResources()
                .addToRequests("storage", new Quantity(size))
                .endResources()
                .endSpec()
                .build())
        .endSpec()
        .build();
  }

  private ResourceRequirements resources() {
    if (spec.resources() != null) {
      return spec.resources();
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("1Gi"))
        .build();
  }

  /** The pod's stable DNS name through the headless Service, which the broker advertises. */
  String podHost() {
    return ManagedCoordinatorNames.name(policy)
        + "-0."
        + ManagedCoordinatorNames.headlessName(policy)
        + "."
        + policy.getMetadata().getNamespace()
        + ".svc";
  }

  private String offsetsRetention() {
    // Written in the normalised form of the one duration grammar the broker also reads.
    return spec.offsetsRetention() == null
        ? "7d"
        : KubeDuration.format(KubeDuration.parse(spec.offsetsRetention()));
  }

  private ObjectMeta metadata(String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(policy.getMetadata().getNamespace())
        .withLabels(labels())
        .build();
  }
}
