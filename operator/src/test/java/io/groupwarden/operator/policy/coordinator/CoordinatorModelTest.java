package io.groupwarden.operator.policy.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.Assignor;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.StorageSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorModelTest {

  private static final CoordinatorSpec DEFAULTS = OrdersPolicy.DEFAULTS;

  private static ConsumerGroupPolicy policy(CoordinatorSpec coordinator) {
    return OrdersPolicy.with(coordinator);
  }

  /**
   * The ConfigMap the operator writes for a coordinator with {@code assignor} and {@code
   * sessionTimeout}, a rebalance timeout of 2m and offsets kept 3d.
   */
  private static Map<String, String> configMapData(Assignor assignor, String sessionTimeout) {
    CoordinatorSpec spec =
        CoordinatorSpecs.defaults()
            .groups(assignor, sessionTimeout, "2m")
            .offsetsRetention("3d")
            .build();
    return CoordinatorModel.of(policy(spec), "img").configMap().getData();
  }

  @Test
  void aStatefulSetOfOneWithItsVolumeAndTheDefaultImage() {
    StatefulSet sts = CoordinatorModel.of(policy(DEFAULTS), "registry/coordinator:1").statefulSet();

    assertThat(sts.getMetadata().getName()).isEqualTo("orders-coordinator");
    assertThat(sts.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
    assertThat(sts.getSpec().getServiceName()).isEqualTo("orders-coordinator-headless");
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .isEqualTo(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "orders");
    Container container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry/coordinator:1");
    assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName())
        .isEqualTo("orders-coordinator");
    assertThat(container.getPorts())
        .extracting(p -> p.getContainerPort())
        .containsExactly(9093, 8080);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    var claim = sts.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(claim.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("10Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isNull();
  }

  @Test
  void theSpecChoosesImageStorageAndResources() {
    CoordinatorSpec spec =
        CoordinatorSpecs.defaults()
            .image("mirror.local/coordinator:2")
            .storage(new StorageSpec("50Gi", "fast-ssd"))
            .resources(
                new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                    .addToLimits("memory", new Quantity("2Gi"))
                    .build())
            .build();

    StatefulSet sts = CoordinatorModel.of(policy(spec), "registry/coordinator:1").statefulSet();

    Container container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("mirror.local/coordinator:2");
    assertThat(container.getResources().getLimits().get("memory")).isEqualTo(new Quantity("2Gi"));
    var claim = sts.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(claim.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("50Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
  }

  @Test
  void thePodRunsAsNonRootWithAReadOnlyRootFilesystem() {
    StatefulSet sts = CoordinatorModel.of(policy(DEFAULTS), "img").statefulSet();

    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void servicesGiveAStablePodNameAndAClientAddress() {
    CoordinatorModel model = CoordinatorModel.of(policy(DEFAULTS), "img");

    Service headless = model.headlessService();
    Service client = model.clientService();

    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getMetadata().getName()).isEqualTo("orders-coordinator-headless");
    assertThat(client.getMetadata().getName()).isEqualTo("orders-coordinator");
    assertThat(client.getSpec().getPorts())
        .extracting(p -> p.getName())
        .containsExactly("kafka-sasl-ssl", "http");
    assertThat(client.getSpec().getPorts())
        .extracting(p -> p.getPort())
        .containsExactly(9093, 8080);
    assertThat(client.getSpec().getSelector()).isEqualTo(model.labels());
  }

  @Test
  void theUniformAssignorMakesClientsUseTheConsumerProtocolWithTheBrokerAssigning() {
    var data = configMapData(Assignor.UNIFORM, "30s");

    assertThat(data)
        .containsEntry("COORDINATOR_GROUP_CONSUMER_ASSIGNORS", "uniform,range")
        .containsEntry("COORDINATOR_GROUP_CONSUMER_SESSION_TIMEOUT", "30000ms")
        .containsEntry("COORDINATOR_GROUP_CONSUMER_HEARTBEAT_INTERVAL", "5000ms");
    assertThat(data.get("client.properties"))
        .contains("group.protocol=consumer")
        .contains("group.remote.assignor=uniform")
        .contains("max.poll.interval.ms=120000")
        .doesNotContain("partition.assignment.strategy")
        .doesNotContain("session.timeout.ms");
  }

  @Test
  void rangeIsAlsoTheBrokersDefaultServerSideAssignor() {
    var data = configMapData(Assignor.RANGE, "6s");

    assertThat(data)
        .containsEntry("COORDINATOR_GROUP_CONSUMER_ASSIGNORS", "range,uniform")
        .containsEntry("COORDINATOR_GROUP_CONSUMER_HEARTBEAT_INTERVAL", "2000ms");
  }

  @Test
  void theConfigMapCarriesBrokerSettingsAndClientDefaults() {
    var data = configMapData(Assignor.RANGE, "20s");

    assertThat(data)
        .containsEntry("COORDINATOR_HOST", "0.0.0.0")
        .containsEntry("COORDINATOR_DATA_DIR", "/var/lib/coordinator")
        .containsEntry("COORDINATOR_OFFSETS_RETENTION", "3d")
        .containsEntry(
            "COORDINATOR_ADVERTISED_HOST",
            "orders-coordinator-0.orders-coordinator-headless.shop.svc");
    assertThat(data.get("client.properties"))
        .contains("bootstrap.servers=orders-coordinator.shop.svc:9093")
        .contains("security.protocol=SASL_SSL")
        .contains("sasl.mechanism=SCRAM-SHA-512")
        .contains("partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor")
        .contains("session.timeout.ms=20000")
        .contains("max.poll.interval.ms=120000");
  }

  @Test
  void aChangedConfigurationRollsThePod() {
    var before = CoordinatorModel.of(policy(DEFAULTS), "img").statefulSet();
    var after =
        CoordinatorModel.of(
                policy(CoordinatorSpecs.defaults().offsetsRetention("1d").build()), "img")
            .statefulSet();

    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
        .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations());
  }

  @Test
  void byDefaultOnlyASaslSslListenerWithTheCertificateUsersAndTokenFromSecrets() {
    var data = CoordinatorModel.of(policy(DEFAULTS), "img").configMap().getData();

    assertThat(data)
        .containsEntry("COORDINATOR_LISTENERS", "SASL_SSL://:9093")
        .containsEntry(
            "COORDINATOR_ADVERTISED_LISTENERS",
            "SASL_SSL://orders-coordinator-0.orders-coordinator-headless.shop.svc:9093")
        .containsEntry("COORDINATOR_TLS_CERT", "/etc/groupwarden/tls/tls.crt")
        .containsEntry("COORDINATOR_TLS_KEY", "/etc/groupwarden/tls/tls.key")
        .containsEntry("COORDINATOR_SASL_USERS", "/etc/groupwarden/users/users")
        .containsEntry("COORDINATOR_SUPER_USERS", "groupwarden-operator")
        .containsEntry("COORDINATOR_HTTP_TLS", "true")
        .containsEntry("COORDINATOR_HTTP_TOKEN_FILE", "/etc/groupwarden/http-token/token")
        .doesNotContainKey("COORDINATOR_PORT");
    assertThat(String.join(" ", data.values())).doesNotContain("PLAINTEXT");

    var pod = CoordinatorModel.of(policy(DEFAULTS), "img").statefulSet().getSpec().getTemplate();
    assertThat(pod.getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getName() + "=" + v.getSecret().getSecretName())
        .containsExactly(
            "tls=orders-coordinator-tls",
            "users=orders-coordinator-users",
            "http-token=orders-coordinator-http-token");
    // whole directories, never subPath: the kubelet then swaps renewed certificates in place
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .allSatisfy(m -> assertThat(m.getSubPath()).isNull());
  }

  @Test
  void aPlaintextListenerOnlyWhenTheSpecAsks() {
    CoordinatorModel model =
        CoordinatorModel.of(
            policy(CoordinatorSpecs.defaults().plaintextListener(true).build()), "img");

    assertThat(model.configMap().getData())
        .containsEntry("COORDINATOR_LISTENERS", "SASL_SSL://:9093,PLAINTEXT://:9092");
    assertThat(model.clientService().getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("kafka-sasl-ssl:9093", "kafka-plain:9092", "http:8080");
  }

  @Test
  void aCertificateSecretTheSpecNamesIsMountedInsteadOfTheGeneratedOne() {
    CoordinatorModel model =
        CoordinatorModel.of(
            policy(
                CoordinatorSpecs.defaults()
                    .tls(new CoordinatorSpec.CoordinatorTlsSpec("orders-cert", null, null))
                    .build()),
            "img");

    assertThat(model.statefulSet().getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("tls"))
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("orders-cert");
  }

  @Test
  void theCertificateNamesTheServiceAndThePodAsClientsSpellThem() {
    assertThat(CoordinatorModel.dnsNames(policy(DEFAULTS)))
        .containsExactly(
            "orders-coordinator.shop.svc",
            "orders-coordinator.shop.svc.cluster.local",
            "orders-coordinator",
            "orders-coordinator.shop",
            "orders-coordinator-0.orders-coordinator-headless.shop.svc",
            "orders-coordinator-0.orders-coordinator-headless.shop.svc.cluster.local");
  }

  @Test
  void aNewOperatorPasswordRestartsTheBrokerButOtherUsersDoNot() {
    ConsumerGroupPolicy policy = policy(DEFAULTS);
    var first = access(java.util.Map.of("groupwarden-operator", "a", "groupwarden-sink-x", "b"));
    var moreUsers =
        access(
            java.util.Map.of(
                "groupwarden-operator", "a", "groupwarden-sink-x", "b", "groupwarden-sink-y", "c"));
    var newOperatorPassword =
        access(java.util.Map.of("groupwarden-operator", "z", "groupwarden-sink-x", "b"));

    var annotations = annotations(policy, first);
    assertThat(annotations(policy, moreUsers)).isEqualTo(annotations);
    assertThat(annotations(policy, newOperatorPassword)).isNotEqualTo(annotations);
    // a digest, not the password
    assertThat(annotations.get("groupwarden.io/operator-credential")).matches("[0-9a-f]{16}");
  }

  private static java.util.Map<String, String> annotations(
      ConsumerGroupPolicy policy, CoordinatorAccess access) {
    java.util.Map<String, String> annotations =
        new java.util.HashMap<>(
            CoordinatorModel.of(policy, "img", access)
                .statefulSet()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations());
    annotations.remove("groupwarden.io/config-hash");
    return annotations;
  }

  private static CoordinatorAccess access(java.util.Map<String, String> passwords) {
    return new CoordinatorAccess(
        new io.groupwarden.operator.common.SecretKeyRef("orders-coordinator-ca", "ca.crt"),
        "orders-coordinator-tls",
        "orders-coordinator-http-token",
        List.of(),
        passwords);
  }
}
