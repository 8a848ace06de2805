package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.common.env.CoordinatorEnv;
import io.groupwarden.operator.common.RestrictedPod;
import io.groupwarden.operator.common.WorkloadLabels;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired objects of a policy's managed coordinator broker, as a pure function of the policy
 * and of the Secrets the operator made for it: a StatefulSet of one with a volume, a headless
 * Service for the pod's stable DNS name, a client Service, and a ConfigMap holding the broker's
 * settings and the client defaults of the groups.
 *
 * <p>Secure by default: one SASL_SSL listener (SCRAM) on 9093 with the certificate of the TLS
 * Secret, users from the users Secret, the operator's user the only super user, the HTTP port on
 * TLS behind a bearer token. A PLAINTEXT listener on 9092 exists only when the spec asks for it.
 * The Secrets are mounted as whole directories, so the kubelet replaces renewed certificates in
 * place and the broker picks them up without a restart.
 */
public final class CoordinatorModel {
  static final String DATA_DIR = "/var/lib/coordinator";
  static final String TLS_DIR = "/etc/groupwarden/tls";
  static final String USERS_DIR = "/etc/groupwarden/users";
  static final String HTTP_TOKEN_DIR = "/etc/groupwarden/http-token";
  static final String SASL_MECHANISM = "SCRAM-SHA-512";
  private static final int USER_ID = 10001;
  private static final String SASL_SSL_PORT_NAME = "kafka-sasl-ssl";
  private static final String PLAINTEXT_PORT_NAME = "kafka-plain";
  private static final int SECRET_FILE_MODE = 0440;

  private final ConsumerGroupPolicy policy;
  private final CoordinatorSpec spec;
  private final String image;
  private final String tlsSecretName;
  private final String operatorCredentialDigest;

  private CoordinatorModel(
      ConsumerGroupPolicy policy, String defaultImage, CoordinatorAccess access) {
    this.policy = policy;
    this.spec = policy.getSpec().kafka().coordinator();
    this.image = spec.image() != null ? spec.image() : defaultImage;
    String named = spec.tls() == null ? null : spec.tls().secretName();
    this.tlsSecretName =
        access != null
            ? access.tlsSecretName()
            : named != null ? named : ManagedCoordinatorNames.tlsSecretName(policy);
    this.operatorCredentialDigest =
        access == null
            ? ""
            : access.operatorCredentialDigest(ManagedCoordinatorNames.OPERATOR_USER);
  }

  /** The model of {@code policy}'s coordinator; the policy must ask for one. */
  public static CoordinatorModel of(ConsumerGroupPolicy policy, String defaultImage) {
    return of(policy, defaultImage, null);
  }

  /**
   * The model with the Secrets of this cycle ({@code access} may be null before they exist).
   *
   * @throws IllegalArgumentException when the policy asks for no coordinator
   */
  public static CoordinatorModel of(
      ConsumerGroupPolicy policy, String defaultImage, CoordinatorAccess access) {
    if (policy.getSpec().kafka().coordinator() == null) {
      throw new IllegalArgumentException("the policy has no spec.kafka.coordinator");
    }
    return new CoordinatorModel(policy, defaultImage, access);
  }

  /** Labels on every object, and the pod selector. */
  public Map<String, String> labels() {
    return labels(policy);
  }

  /** The same, without a model. */
  public static Map<String, String> labels(ConsumerGroupPolicy policy) {
    return WorkloadLabels.of(WorkloadLabels.COORDINATOR, policy.getMetadata().getName());
  }

  /**
   * The names the broker certificate carries: the client Service and the pod, short and fully
   * qualified, as clients in the cluster may spell them.
   */
  public static List<String> dnsNames(ConsumerGroupPolicy policy) {
    String namespace = policy.getMetadata().getNamespace();
    String service = ManagedCoordinatorNames.name(policy);
    String pod = service + "-0." + ManagedCoordinatorNames.headlessName(policy);
    return List.of(
        ManagedCoordinatorNames.serviceHost(policy),
        ManagedCoordinatorNames.serviceHost(policy) + ".cluster.local",
        service,
        service + "." + namespace,
        ManagedCoordinatorNames.podHost(policy),
        ManagedCoordinatorNames.podHost(policy) + ".cluster.local");
  }

  /** Whether the spec asks for the PLAINTEXT listener beside SASL_SSL. */
  public boolean plaintextListener() {
    return Boolean.TRUE.equals(spec.plaintextListener());
  }

  /** Kafka listeners in the broker's syntax; an empty host binds every interface of the pod. */
  String listeners() {
    String listeners = "SASL_SSL://:" + ManagedCoordinatorNames.SASL_SSL_PORT;
    return plaintextListener()
        ? listeners + ",PLAINTEXT://:" + ManagedCoordinatorNames.PLAINTEXT_PORT
        : listeners;
  }

  /** What clients are told to connect to: the pod's stable name, on each listener's port. */
  String advertisedListeners() {
    String listeners = "SASL_SSL://" + podHost() + ":" + ManagedCoordinatorNames.SASL_SSL_PORT;
    return plaintextListener()
        ? listeners + ",PLAINTEXT://" + podHost() + ":" + ManagedCoordinatorNames.PLAINTEXT_PORT
        : listeners;
  }

  public ConfigMap configMap() {
    Map<String, String> data = new LinkedHashMap<>();
    // The HTTP port binds to loopback unless told otherwise; in a pod it must be reachable.
    data.put(CoordinatorEnv.HOST, "0.0.0.0");
    data.put(CoordinatorEnv.LISTENERS, listeners());
    data.put(CoordinatorEnv.ADVERTISED_LISTENERS, advertisedListeners());
    data.put(CoordinatorEnv.TLS_CERT, TLS_DIR + "/" + CoordinatorSecrets.TLS_CERT);
    data.put(CoordinatorEnv.TLS_KEY, TLS_DIR + "/" + CoordinatorSecrets.TLS_KEY);
    data.put(CoordinatorEnv.SASL_MECHANISMS, "SCRAM-SHA-512,SCRAM-SHA-256");
    data.put(CoordinatorEnv.SASL_USERS, USERS_DIR + "/" + CoordinatorSecrets.USERS_FILE);
    data.put(CoordinatorEnv.SUPER_USERS, ManagedCoordinatorNames.OPERATOR_USER);
    data.put(CoordinatorEnv.HTTP_TLS, "true");
    data.put(CoordinatorEnv.HTTP_TOKEN_FILE, HTTP_TOKEN_DIR + "/" + CoordinatorSecrets.HTTP_TOKEN);
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
    // Each client adds its own user's sasl.jaas.config (key sasl.jaas.config of its user Secret)
    // and mounts ca.crt of the CA Secret at the truststore location.
    return "bootstrap.servers="
        + ManagedCoordinatorNames.bootstrapServers(policy)
        + "\nsecurity.protocol=SASL_SSL"
        + "\nsasl.mechanism="
        + SASL_MECHANISM
        + "\nssl.truststore.type=PEM"
        + "\nssl.truststore.location=/etc/kafka/ca/ca.crt"
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
        .withPorts(kafkaPorts())
        .endSpec()
        .build();
  }

  public Service clientService() {
    return new ServiceBuilder()
        .withMetadata(metadata(ManagedCoordinatorNames.name(policy)))
        .withNewSpec()
        .withSelector(labels())
        .withPorts(kafkaPorts())
        .addNewPort()
        .withName("http")
        .withPort(ManagedCoordinatorNames.HTTP_PORT)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }

  /** The Kafka listeners' port names and numbers: SASL_SSL, and PLAINTEXT when the spec asks. */
  private Map<String, Integer> kafkaListenerPorts() {
    Map<String, Integer> listeners = new LinkedHashMap<>();
    listeners.put(SASL_SSL_PORT_NAME, ManagedCoordinatorNames.SASL_SSL_PORT);
    if (plaintextListener()) {
      listeners.put(PLAINTEXT_PORT_NAME, ManagedCoordinatorNames.PLAINTEXT_PORT);
    }
    return listeners;
  }

  private List<ServicePort> kafkaPorts() {
    return kafkaListenerPorts().entrySet().stream()
        .map(
            listener ->
                new ServicePortBuilder()
                    .withName(listener.getKey())
                    .withPort(listener.getValue())
                    .withTargetPort(new IntOrString(listener.getKey()))
                    .build())
        .toList();
  }

  private List<ContainerPort> containerPorts() {
    List<ContainerPort> ports = new ArrayList<>();
    kafkaListenerPorts()
        .forEach(
            (name, port) ->
                ports.add(
                    new ContainerPortBuilder().withName(name).withContainerPort(port).build()));
    ports.add(
        new ContainerPortBuilder()
            .withName("http")
            .withContainerPort(ManagedCoordinatorNames.HTTP_PORT)
            .build());
    return ports;
  }

  private static Volume secretVolume(String volume, String secret) {
    return new VolumeBuilder()
        .withName(volume)
        .withNewSecret()
        .withSecretName(secret)
        .withDefaultMode(SECRET_FILE_MODE)
        .endSecret()
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
        .addToAnnotations("groupwarden.io/operator-credential", operatorCredentialDigest)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(30L)
        // the data volume is written by the broker's user
        .withSecurityContext(RestrictedPod.podSecurity(USER_ID).withFsGroup((long) USER_ID).build())
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
                .withPorts(containerPorts())
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/health")
                .withScheme("HTTPS")
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withPeriodSeconds(5)
                .endReadinessProbe()
                // A bare connection to the TLS listener would count as a failed handshake.
                .withNewLivenessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString("http"))
                .endTcpSocket()
                .withInitialDelaySeconds(10)
                .withPeriodSeconds(10)
                .endLivenessProbe()
                .withResources(resources())
                .withSecurityContext(RestrictedPod.containerSecurity())
                .addNewVolumeMount()
                .withName("data")
                .withMountPath(DATA_DIR)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tls")
                .withMountPath(TLS_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("users")
                .withMountPath(USERS_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("http-token")
                .withMountPath(HTTP_TOKEN_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .build())
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addToVolumes(secretVolume("tls", tlsSecretName))
        .addToVolumes(secretVolume("users", ManagedCoordinatorNames.usersSecretName(policy)))
        .addToVolumes(
            secretVolume("http-token", ManagedCoordinatorNames.httpTokenSecretName(policy)))
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
    return RestrictedPod.resources(spec.resources(), "250m", "512Mi", "1Gi");
  }

  /** The pod's stable DNS name through the headless Service, which the broker advertises. */
  String podHost() {
    return ManagedCoordinatorNames.podHost(policy);
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
