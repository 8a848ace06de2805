package io.groupwarden.operator.gitops;

import static io.groupwarden.operator.support.OperatorTestEnvironment.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.LiveGroup;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.FreePort;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's Argo CD health script, run with a Lua interpreter on the objects the operator wrote
 * here against a real Kafka broker: healthy, progressing, invalid spec, unreachable cluster, SLO
 * violated, for each kind where it applies. Every resource's spec is read back at the end: the
 * operator never changed it (it writes status only; a scale target's replicas are the one field it
 * owns, and only there).
 */
class ArgoHealthChecksIT {
  private static final String NS = "gitops";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final OperatorTestEnvironment env = OperatorTestEnvironment.inNamespace(NS);

  /** Every resource applied, with its spec as applied, for the spec-unchanged check. */
  private static final List<HasMetadata> applied = new ArrayList<>();

  @AfterAll
  static void theOperatorNeverChangedASpec() {
    for (HasMetadata resource : applied) {
      HasMetadata now =
          env.client()
              .resources(resource.getClass())
              .inNamespace(NS)
              .withName(resource.getMetadata().getName())
              .get();
      assertThat(spec(now))
          .as("spec of %s %s", resource.getKind(), resource.getMetadata().getName())
          .isEqualTo(spec(resource));
    }
  }

  @Test
  void aPolicyIsProgressingUntilEvaluatedThenHealthy() {
    try (LiveGroup live = LiveGroup.start(env, "argo-healthy", 2, "argo-healthy-app")) {
      ConsumerGroupPolicy created =
          apply(
              ConsumerGroupPolicy.class,
              "healthy",
              env.policySpec(
                  """
                  groups: [argo-healthy-app]
                  slo: {maxLagP95Messages: 500, window: 5s}
                  """));

      assertThat(ArgoHealth.of(created).status()).isEqualTo("Progressing");

      ConsumerGroupPolicy evaluated =
          await(
              ConsumerGroupPolicy.class,
              "healthy",
              p ->
                  has(p, "Ready", isTrue())
                      && has(p, "SLOCompliant", isTrue())
                      && p.getStatus().groups() != null
                      && p.getStatus().groups().get(0).members() == 1);
      ArgoHealth.Result healthy = ArgoHealth.of(evaluated);
      assertThat(healthy.status()).isEqualTo("Healthy");

      // a newer generation than the status describes is Progressing again
      ObjectNode edited = JSON.valueToTree(evaluated);
      edited.with("metadata").put("generation", evaluated.getStatus().observedGeneration() + 1);
      ArgoHealth.Result progressing = ArgoHealth.of(edited);
      assertThat(progressing.status()).isEqualTo("Progressing");
      assertThat(progressing.message()).contains("has not evaluated generation");
    }
  }

  @Test
  void anInvalidSpecIsDegradedWithTheFieldNamed() {
    apply(ConsumerGroupPolicy.class, "invalid", env.policySpec("groupPattern: \"argo-([\""));

    ConsumerGroupPolicy invalid =
        awaitCondition(ConsumerGroupPolicy.class, "invalid", "Ready", reason("InvalidSpec"));

    assertHealth(invalid, "Degraded", "InvalidSpec: spec.groupPattern");
  }

  @Test
  void anUnreachableClusterIsDegradedForEachKind() {
    String nowhere = "127.0.0.1:" + FreePort.pick();
    apply(
        ConsumerGroupPolicy.class,
        "unreachable",
        TestResources.policySpec(nowhere, "groups: [anyone]"));
    apply(
        LagMonitor.class,
        "unreachable",
        """
        kafka: {bootstrapServers: "%s", groups: [anyone]}
        interval: 1s
        """
            .formatted(nowhere));

    ConsumerGroupPolicy policy =
        awaitCondition(
            ConsumerGroupPolicy.class, "unreachable", "Ready", reason("KafkaUnreachable"));
    LagMonitor monitor =
        awaitCondition(LagMonitor.class, "unreachable", "SourcesReachable", isFalse());

    assertHealth(policy, "Degraded", "KafkaUnreachable");
    assertHealth(monitor, "Degraded", "SourceUnreachable");
  }

  @Test
  void aViolatedSloIsDegradedAndAScaleTargetKeepsItsSpecButReplicas() {
    env.kafka().createTopic("argo-slow", 2);
    env.kafka().produce("argo-slow", 2, 100);
    env.kafka().commit("argo-slow-app", "argo-slow", 1, 1);
    Deployment deployment =
        env.createDeployment("argo-slow-app", "example/consumer:1", "--threads", "4");
    apply(
        ConsumerGroupPolicy.class,
        "slow",
        env.policySpec(
            """
            groups: [argo-slow-app]
            slo: {maxLagP95Messages: 10, window: 3s}
            autoscale:
              targetRef: {kind: Deployment, name: argo-slow-app}
              minReplicas: 1
              maxReplicas: 2
              lagPerReplica: 10
            """));

    ConsumerGroupPolicy violated =
        awaitCondition(ConsumerGroupPolicy.class, "slow", "SLOCompliant", isFalse());

    assertHealth(violated, "Degraded", "SLOCompliant is False");

    Deployment scaled =
        org.awaitility.Awaitility.await()
            .atMost(PATIENCE)
            .until(
                () ->
                    env.client()
                        .apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("argo-slow-app")
                        .get(),
                d -> d.getSpec().getReplicas() == 2);
    ObjectNode expected = (ObjectNode) JSON.valueToTree(deployment.getSpec());
    ObjectNode actual = (ObjectNode) JSON.valueToTree(scaled.getSpec());
    expected.remove("replicas");
    actual.remove("replicas");
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void aSinkIsDegradedWithoutItsSecretAndProgressingWhileWorkersStart() {
    env.kafka().createTopic("argo-sink", 1);
    applySink("nosecret", "absent");
    env.createSecret("mongo", "uri", "mongodb://127.0.0.1:1");
    applySink("starting", "mongo");

    MongoSink missing = awaitCondition(MongoSink.class, "nosecret", "Ready", isFalse());
    MongoSink starting =
        awaitCondition(MongoSink.class, "starting", "Ready", reason("WorkersStarting"));

    ArgoHealth.Result degraded = ArgoHealth.of(missing);
    assertThat(degraded.status()).isEqualTo("Degraded");
    assertThat(degraded.message()).contains("absent");
    assertHealth(starting, "Progressing", "WorkersStarting");
  }

  @Test
  void aLagMonitorOfAHealthyGroupIsHealthy() {
    env.kafka().createTopic("argo-monitored", 1);
    env.kafka().produce("argo-monitored", 1, 5);
    env.kafka().commit("argo-monitored-app", "argo-monitored", 5);
    apply(
        LagMonitor.class,
        "monitored",
        """
        kafka: {bootstrapServers: "%s", groups: [argo-monitored-app]}
        interval: 1s
        thresholds: {degraded: 100, unhealthy: 1000}
        """
            .formatted(env.broker().bootstrapServers()));

    LagMonitor checked =
        awaitCondition(LagMonitor.class, "monitored", "SourcesReachable", isTrue());

    assertThat(ArgoHealth.of(checked).status()).isEqualTo("Healthy");
  }

  private static <T extends HasMetadata> T apply(Class<T> type, String name, String spec) {
    T resource = env.applySpec(type, name, spec);
    applied.add(resource);
    return resource;
  }

  private static <T extends HasMetadata> T await(Class<T> type, String name, Predicate<T> until) {
    return org.awaitility.Awaitility.await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .until(() -> env.client().resources(type).inNamespace(NS).withName(name).get(), until);
  }

  /** A MongoSink of topic argo-sink whose MongoDB URI is in Secret {@code uriSecret}. */
  private static void applySink(String name, String uriSecret) {
    apply(
        MongoSink.class,
        name,
        """
        kafka: {bootstrapServers: "%s", topic: argo-sink}
        mongodb: {uriSecretRef: {name: %s, key: uri}, database: d, collection: c}
        """
            .formatted(env.broker().bootstrapServers(), uriSecret));
  }

  /** The resource once its condition {@code condition} is there and passes {@code test}. */
  private static <T extends HasMetadata> T awaitCondition(
      Class<T> type, String name, String condition, Predicate<Condition> test) {
    return await(type, name, resource -> has(resource, condition, test));
  }

  private static Predicate<Condition> reason(String reason) {
    return c -> reason.equals(c.reason());
  }

  private static Predicate<Condition> isTrue() {
    return c -> "True".equals(c.status());
  }

  private static Predicate<Condition> isFalse() {
    return c -> "False".equals(c.status());
  }

  /**
   * Whether the resource's condition {@code type} is there and passes {@code test}; read from its
   * JSON, the same for every kind, as Argo CD reads it.
   */
  private static boolean has(HasMetadata resource, String type, Predicate<Condition> test) {
    for (JsonNode condition : JSON.valueToTree(resource).path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return test.test(JSON.convertValue(condition, Condition.class));
      }
    }
    return false;
  }

  /**
   * What Argo CD's health check {@code script} says of {@code resource}: {@code status}, with a
   * message that begins with {@code message}.
   */
  private static void assertHealth(HasMetadata resource, String status, String message) {
    ArgoHealth.Result health = ArgoHealth.of(resource);
    assertThat(health.status()).isEqualTo(status);
    assertThat(health.message()).startsWith(message);
  }

  private static JsonNode spec(HasMetadata resource) {
    return JSON.valueToTree(resource).path("spec");
  }
}
