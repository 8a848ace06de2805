package io.groupwarden.operator.policy.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicySpec;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.Assignor;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.StorageSpec;
import io.groupwarden.operator.policy.customresource.PolicyKafkaSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinatorModelTest {

  private static ConsumerGroupPolicy policy(CoordinatorSpec coordinator) {
    ConsumerGroupPolicy policy = new ConsumerGroupPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").build());
    policy.setSpec(
        new ConsumerGroupPolicySpec(
            new PolicyKafkaSpec(null, null, null, coordinator),
            List.of("billing"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    return policy;
  }

  private static final CoordinatorSpec DEFAULTS =
      new CoordinatorSpec(null, null, null, null, null, null, null);

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
        .containsExactly(9092, 8080);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    var claim = sts.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(claim.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("10Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isNull();
  }

  @Test
  void theSpecChoosesImageStorageAndResources() {
    CoordinatorSpec spec =
        new CoordinatorSpec(
            "mirror.local/coordinator:2",
            new StorageSpec("50Gi", "fast-ssd"),
            new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("2Gi"))
                .build(),
            null,
            null,
            null,
            null);

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
        .containsExactly("kafka", "http");
    assertThat(client.getSpec().getSelector()).isEqualTo(model.labels());
  }

  @Test
  void theUniformAssignorMakesClientsUseTheConsumerProtocolWithTheBrokerAssigning() {
    CoordinatorSpec spec =
        new CoordinatorSpec(null, null, null, Assignor.UNIFORM, "30s", "2m", "3d");

    var data = CoordinatorModel.of(policy(spec), "img").configMap().getData();

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
    CoordinatorSpec spec = new CoordinatorSpec(null, null, null, Assignor.RANGE, "6s", "2m", "3d");

    var data = CoordinatorModel.of(policy(spec), "img").configMap().getData();

    assertThat(data)
        .containsEntry("COORDINATOR_GROUP_CONSUMER_ASSIGNORS", "range,uniform")
        .containsEntry("COORDINATOR_GROUP_CONSUMER_HEARTBEAT_INTERVAL", "2000ms");
  }

  @Test
  void theConfigMapCarriesBrokerSettingsAndClientDefaults() {
    CoordinatorSpec spec = new CoordinatorSpec(null, null, null, Assignor.RANGE, "20s", "2m", "3d");

    var data = CoordinatorModel.of(policy(spec), "img").configMap().getData();

    assertThat(data)
        .containsEntry("COORDINATOR_HOST", "0.0.0.0")
        .containsEntry("COORDINATOR_PORT", "9092")
        .containsEntry("COORDINATOR_DATA_DIR", "/var/lib/coordinator")
        .containsEntry("COORDINATOR_OFFSETS_RETENTION", "3d")
        .containsEntry(
            "COORDINATOR_ADVERTISED_HOST",
            "orders-coordinator-0.orders-coordinator-headless.shop.svc");
    assertThat(data.get("client.properties"))
        .contains("bootstrap.servers=orders-coordinator.shop.svc:9092")
        .contains("partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor")
        .contains("session.timeout.ms=20000")
        .contains("max.poll.interval.ms=120000");
  }

  @Test
  void aChangedConfigurationRollsThePod() {
    var before = CoordinatorModel.of(policy(DEFAULTS), "img").statefulSet();
    var after =
        CoordinatorModel.of(
                policy(new CoordinatorSpec(null, null, null, null, null, null, "1d")), "img")
            .statefulSet();

    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
        .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations());
  }
}
