package io.groupwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A policy with {@code spec.kafka.coordinator}: the operator deploys the broker's objects, waits
 * for it to be ready, then governs the groups on it. The mock API server runs no pods, so the test
 * marks the StatefulSet ready itself and points the operator's coordinator address at a real
 * broker.
 */
class ManagedCoordinatorIT {
  private static final String NS = "shop";
  private static KafkaBroker broker;
  private static OperatorHarness harness;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.shared();
    harness =
        OperatorHarness.start(Map.of("GROUPWARDEN_COORDINATOR_ADDRESS", broker.bootstrapServers()));
    client = harness.client();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void deploysTheBrokerWaitsForItThenGovernsItsGroupsAndRemovesItWhenNoLongerAsked() {
    try (KafkaTestClients kafka = new KafkaTestClients(broker.bootstrapServers())) {
      kafka.createTopic("managed-orders", 1);
      kafka.produce("managed-orders", 1, 4);
      kafka.commit("managed-app", "managed-orders", 1);
    }
    TestResources.applySpec(
        client,
        ConsumerGroupPolicy.class,
        NS,
        "orders",
        """
        kafka:
          coordinator:
            storage: {size: 5Gi}
        groups: [managed-app]
        interval: 1s
        """);

    StatefulSet sts =
        await().atMost(Duration.ofSeconds(30)).until(() -> statefulSet(), s -> s != null);
    assertThat(
            sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests())
        .containsKey("storage");
    assertThat(client.services().inNamespace(NS).withName("orders-coordinator").get()).isNotNull();
    assertThat(client.services().inNamespace(NS).withName("orders-coordinator-headless").get())
        .isNotNull();
    ConfigMap config = client.configMaps().inNamespace(NS).withName("orders-coordinator").get();
    assertThat(config.getData()).containsKey("client.properties");
    assertThat(sts.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("orders");

    ConsumerGroupPolicyStatus waiting =
        awaitStatus(s -> "CoordinatorNotReady".equals(ready(s).reason()));
    assertThat(waiting.coordinator().bootstrapServers())
        .isEqualTo("orders-coordinator.shop.svc:9093");
    assertThat(waiting.coordinator().ready()).isFalse();

    sts.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(1).build());
    client.apps().statefulSets().inNamespace(NS).resource(sts).updateStatus();

    // Secured by default: the status names the CA Secret and the users, whose Secrets the policy
    // owns. (The broker here is a plaintext Kafka, so the operator cannot log in to it; governing
    // a secured coordinator end to end is e2e's MongoSinkSecuredIT.)
    ConsumerGroupPolicyStatus secured =
        awaitStatus(s -> s.coordinator().ready() && s.coordinator().users() != null);
    assertThat(secured.coordinator().securityProtocol()).isEqualTo("SASL_SSL");
    assertThat(secured.coordinator().caSecret())
        .isEqualTo(new SecretKeyRef("orders-coordinator-ca", "ca.crt"));
    assertThat(secured.coordinator().httpTokenSecret()).isEqualTo("orders-coordinator-http-token");
    assertThat(secured.coordinator().users())
        .extracting(u -> u.name() + "=" + u.secretName())
        .containsExactly("groupwarden-operator=orders-coordinator-user-groupwarden-operator");
    for (String secret :
        List.of(
            "orders-coordinator-ca",
            "orders-coordinator-ca-key",
            "orders-coordinator-tls",
            "orders-coordinator-users",
            "orders-coordinator-http-token",
            "orders-coordinator-user-groupwarden-operator")) {
      Secret found = client.secrets().inNamespace(NS).withName(secret).get();
      assertThat(found).as(secret).isNotNull();
      assertThat(found.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("orders");
    }
    assertThat(client.secrets().inNamespace(NS).withName("orders-coordinator-tls").get().getType())
        .isEqualTo("kubernetes.io/tls");
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .contains("orders-coordinator-tls", "orders-coordinator-users");
    assertThat(String.valueOf(secured))
        .doesNotContain(
            new String(
                java.util.Base64.getDecoder()
                    .decode(
                        client
                            .secrets()
                            .inNamespace(NS)
                            .withName("orders-coordinator-user-groupwarden-operator")
                            .get()
                            .getData()
                            .get("password"))));

    ConsumerGroupPolicy policy =
        client.resources(ConsumerGroupPolicy.class).inNamespace(NS).withName("orders").get();
    apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: orders, namespace: shop, resourceVersion: "%s"}
        spec:
          kafka: {bootstrapServers: "%s"}
          groups: [managed-app]
          interval: 1s
        """
            .formatted(policy.getMetadata().getResourceVersion(), broker.bootstrapServers()));

    await().atMost(Duration.ofSeconds(30)).until(() -> statefulSet() == null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.services().inNamespace(NS).withName("orders-coordinator").get() == null);
    ConsumerGroupPolicyStatus external =
        awaitStatus(s -> s.coordinator() == null && ready(s).isTrue());
    assertThat(external.groups().get(0).lag().total()).isEqualTo(3);
  }

  private static StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(NS).withName("orders-coordinator").get();
  }

  private static void apply(String yaml) {
    TestResources.apply(client, ConsumerGroupPolicy.class, NS, yaml);
  }

  private static Condition ready(ConsumerGroupPolicyStatus status) {
    return status.condition("Ready").orElse(new Condition("Ready", "Unknown", "", "", "", 0L));
  }

  private static ConsumerGroupPolicyStatus awaitStatus(Predicate<ConsumerGroupPolicyStatus> test) {
    return TestResources.awaitStatus(
        client, ConsumerGroupPolicy.class, NS, "orders", Duration.ofSeconds(60), test);
  }
}
