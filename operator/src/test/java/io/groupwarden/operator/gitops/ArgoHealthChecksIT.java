package io.groupwarden.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.ProducerLoop;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's Argo CD health scripts, run with a Lua interpreter on the objects the operator wrote
 * here against a real Kafka broker: healthy, progressing, invalid spec, unreachable cluster, SLO
 * violated, for each kind where it applies. Every resource's spec is read back at the end: the
 * operator never changed it (it writes status only; a scale target's replicas are the one field it
 * owns, and only there).
 */
class ArgoHealthChecksIT {
  private static final String NS = "gitops";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KafkaBroker broker;
  private static KafkaTestClients kafka;
  private static OperatorHarness harness;
  private static KubernetesClient client;

  /** Every resource applied, with its spec as applied, for the spec-unchanged check. */
  private static final List<HasMetadata> applied = new ArrayList<>();

  @BeforeAll
  static void start() {
    broker = KafkaBroker.shared();
    kafka = new KafkaTestClients(broker.bootstrapServers());
    harness = OperatorHarness.start();
    client = harness.client();
  }

  @AfterAll
  static void theOperatorNeverChangedASpec() {
    try {
      for (HasMetadata resource : applied) {
        HasMetadata now =
            client
                .resources(resource.getClass())
                .inNamespace(NS)
                .withName(resource.getMetadata().getName())
                .get();
        assertThat(spec(now))
            .as("spec of %s %s", resource.getKind(), resource.getMetadata().getName())
            .isEqualTo(spec(resource));
      }
    } finally {
      harness.close();
      kafka.close();
    }
  }

  @Test
  void aPolicyIsProgressingUntilEvaluatedThenHealthy() {
    kafka.createTopic("argo-healthy", 2);
    try (ProducerLoop producer =
            new ProducerLoop(broker.bootstrapServers(), "argo-healthy", 2, 20);
        ConsumerLoop consumer =
            new ConsumerLoop(kafka.consumer("argo-healthy-app", null), List.of("argo-healthy"))) {
      ConsumerGroupPolicy created =
          apply(
              ConsumerGroupPolicy.class,
              """
              apiVersion: groupwarden.io/v1alpha1
              kind: ConsumerGroupPolicy
              metadata: {name: healthy, namespace: gitops}
              spec:
                kafka: {bootstrapServers: "%s"}
                groups: [argo-healthy-app]
                interval: 1s
                slo: {maxLagP95Messages: 500, window: 5s}
              """
                  .formatted(broker.bootstrapServers()));

      assertThat(ArgoHealth.of("consumergrouppolicy.lua", created).status())
          .isEqualTo("Progressing");

      ConsumerGroupPolicy evaluated =
          await(
              ConsumerGroupPolicy.class,
              "healthy",
              p ->
                  isTrue(p.getStatus() == null ? null : p.getStatus().conditions(), "Ready")
                      && isTrue(p.getStatus().conditions(), "SLOCompliant")
                      && p.getStatus().groups() != null
                      && p.getStatus().groups().get(0).members() == 1);
      ArgoHealth.Result healthy = ArgoHealth.of("consumergrouppolicy.lua", evaluated);
      assertThat(healthy.status()).isEqualTo("Healthy");

      // a newer generation than the status describes is Progressing again
      ObjectNode edited = JSON.valueToTree(evaluated);
      edited.with("metadata").put("generation", evaluated.getStatus().observedGeneration() + 1);
      ArgoHealth.Result progressing = ArgoHealth.of("consumergrouppolicy.lua", edited);
      assertThat(progressing.status()).isEqualTo("Progressing");
      assertThat(progressing.message()).contains("has not evaluated generation");
    }
  }

  @Test
  void anInvalidSpecIsDegradedWithTheFieldNamed() {
    apply(
        ConsumerGroupPolicy.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: invalid, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s"}
          groupPattern: "argo-(["
          interval: 1s
        """
            .formatted(broker.bootstrapServers()));

    ConsumerGroupPolicy invalid =
        await(ConsumerGroupPolicy.class, "invalid", p -> reason(p, "InvalidSpec"));

    ArgoHealth.Result health = ArgoHealth.of("consumergrouppolicy.lua", invalid);
    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).startsWith("InvalidSpec: spec.groupPattern");
  }

  @Test
  void anUnreachableClusterIsDegradedForEachKind() {
    String nowhere = "127.0.0.1:" + FreePort.pick();
    apply(
        ConsumerGroupPolicy.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: unreachable, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s"}
          groups: [anyone]
          interval: 1s
        """
            .formatted(nowhere));
    apply(
        LagMonitor.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: LagMonitor
        metadata: {name: unreachable, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s", groups: [anyone]}
          interval: 1s
        """
            .formatted(nowhere));

    ConsumerGroupPolicy policy =
        await(ConsumerGroupPolicy.class, "unreachable", p -> reason(p, "KafkaUnreachable"));
    LagMonitor monitor =
        await(
            LagMonitor.class,
            "unreachable",
            m ->
                m.getStatus() != null
                    && condition(m.getStatus().conditions(), "SourcesReachable") != null
                    && "False"
                        .equals(
                            condition(m.getStatus().conditions(), "SourcesReachable").status()));

    ArgoHealth.Result policyHealth = ArgoHealth.of("consumergrouppolicy.lua", policy);
    assertThat(policyHealth.status()).isEqualTo("Degraded");
    assertThat(policyHealth.message()).startsWith("KafkaUnreachable");
    ArgoHealth.Result monitorHealth = ArgoHealth.of("lagmonitor.lua", monitor);
    assertThat(monitorHealth.status()).isEqualTo("Degraded");
    assertThat(monitorHealth.message()).startsWith("SourceUnreachable");
  }

  @Test
  void aViolatedSloIsDegradedAndAScaleTargetKeepsItsSpecButReplicas() {
    kafka.createTopic("argo-slow", 2);
    kafka.produce("argo-slow", 2, 100);
    Map<TopicPartition, Long> behind = new HashMap<>();
    behind.put(new TopicPartition("argo-slow", 0), 1L);
    behind.put(new TopicPartition("argo-slow", 1), 1L);
    kafka.commit("argo-slow-app", behind);
    Deployment deployment =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("argo-slow-app")
                    .withNamespace(NS)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                    .addToMatchLabels("app", "argo-slow-app")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "argo-slow-app")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("consumer")
                    .withImage("example/consumer:1")
                    .withArgs("--threads", "4")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    apply(
        ConsumerGroupPolicy.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: slow, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s"}
          groups: [argo-slow-app]
          interval: 1s
          slo: {maxLagP95Messages: 10, window: 3s}
          autoscale:
            targetRef: {kind: Deployment, name: argo-slow-app}
            minReplicas: 1
            maxReplicas: 2
            lagPerReplica: 10
        """
            .formatted(broker.bootstrapServers()));

    ConsumerGroupPolicy violated =
        await(
            ConsumerGroupPolicy.class,
            "slow",
            p ->
                p.getStatus() != null
                    && condition(p.getStatus().conditions(), "SLOCompliant") != null
                    && "False"
                        .equals(condition(p.getStatus().conditions(), "SLOCompliant").status()));

    ArgoHealth.Result health = ArgoHealth.of("consumergrouppolicy.lua", violated);
    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).startsWith("SLOCompliant is False");

    Deployment scaled =
        org.awaitility.Awaitility.await()
            .atMost(PATIENCE)
            .until(
                () -> client.apps().deployments().inNamespace(NS).withName("argo-slow-app").get(),
                d -> d.getSpec().getReplicas() == 2);
    ObjectNode expected = (ObjectNode) JSON.valueToTree(deployment.getSpec());
    ObjectNode actual = (ObjectNode) JSON.valueToTree(scaled.getSpec());
    expected.remove("replicas");
    actual.remove("replicas");
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void aSinkIsDegradedWithoutItsSecretAndProgressingWhileWorkersStart() {
    kafka.createTopic("argo-sink", 1);
    apply(
        MongoSink.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: nosecret, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s", topic: argo-sink}
          mongodb: {uriSecretRef: {name: absent, key: uri}, database: d, collection: c}
        """
            .formatted(broker.bootstrapServers()));
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("mongo")
                .endMetadata()
                .addToStringData("uri", "mongodb://127.0.0.1:1")
                .build())
        .create();
    apply(
        MongoSink.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: starting, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s", topic: argo-sink}
          mongodb: {uriSecretRef: {name: mongo, key: uri}, database: d, collection: c}
        """
            .formatted(broker.bootstrapServers()));

    MongoSink missing =
        await(
            MongoSink.class,
            "nosecret",
            s ->
                s.getStatus() != null
                    && condition(s.getStatus().conditions(), "Ready") != null
                    && "False".equals(condition(s.getStatus().conditions(), "Ready").status()));
    MongoSink starting =
        await(
            MongoSink.class,
            "starting",
            s ->
                s.getStatus() != null
                    && condition(s.getStatus().conditions(), "Ready") != null
                    && "WorkersStarting"
                        .equals(condition(s.getStatus().conditions(), "Ready").reason()));

    ArgoHealth.Result degraded = ArgoHealth.of("mongosink.lua", missing);
    assertThat(degraded.status()).isEqualTo("Degraded");
    assertThat(degraded.message()).contains("absent");
    ArgoHealth.Result progressing = ArgoHealth.of("mongosink.lua", starting);
    assertThat(progressing.status()).isEqualTo("Progressing");
    assertThat(progressing.message()).startsWith("WorkersStarting");
  }

  @Test
  void aLagMonitorOfAHealthyGroupIsHealthy() {
    kafka.createTopic("argo-monitored", 1);
    kafka.produce("argo-monitored", 1, 5);
    kafka.commit("argo-monitored-app", Map.of(new TopicPartition("argo-monitored", 0), 5L));
    apply(
        LagMonitor.class,
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: LagMonitor
        metadata: {name: monitored, namespace: gitops}
        spec:
          kafka: {bootstrapServers: "%s", groups: [argo-monitored-app]}
          interval: 1s
          thresholds: {degraded: 100, unhealthy: 1000}
        """
            .formatted(broker.bootstrapServers()));

    LagMonitor checked =
        await(
            LagMonitor.class,
            "monitored",
            m -> m.getStatus() != null && isTrue(m.getStatus().conditions(), "SourcesReachable"));

    assertThat(ArgoHealth.of("lagmonitor.lua", checked).status()).isEqualTo("Healthy");
  }

  private static <T extends HasMetadata> T apply(Class<T> type, String yaml) {
    T resource = TestResources.apply(client, type, NS, yaml);
    applied.add(resource);
    return resource;
  }

  private static <T extends HasMetadata> T await(Class<T> type, String name, Predicate<T> until) {
    return org.awaitility.Awaitility.await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .until(() -> client.resources(type).inNamespace(NS).withName(name).get(), until);
  }

  private static boolean reason(ConsumerGroupPolicy policy, String reason) {
    Condition ready =
        policy.getStatus() == null ? null : condition(policy.getStatus().conditions(), "Ready");
    return ready != null && reason.equals(ready.reason());
  }

  private static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = condition(conditions, type);
    return c != null && "True".equals(c.status());
  }

  private static Condition condition(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

  private static JsonNode spec(HasMetadata resource) {
    return JSON.valueToTree(resource).path("spec");
  }
}
