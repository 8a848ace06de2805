package io.groupwarden.operator.policy;

import static io.groupwarden.operator.support.OperatorTestEnvironment.PATIENCE;
import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Health;
import io.groupwarden.operator.support.AllToOneAssignor;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.CustomResources;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.LiveGroup;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ConsumerGroupPolicy reconciler end to end: a real Kafka broker with real producers and
 * consumers, the operator against the mock API server, assertions on status and Events; and a
 * policy scaling its consumers' Deployment on lag, through the scale subresource.
 */
class ConsumerGroupPolicyIT {
  private static final String NS = "team-a";

  @RegisterExtension
  static final OperatorTestEnvironment env = OperatorTestEnvironment.inNamespace(NS);

  private static final CustomResources<ConsumerGroupPolicy, ConsumerGroupPolicyStatus> policies =
      env.resources(ConsumerGroupPolicy.class);

  @Test
  void aHealthyGroupIsReportedHealthyWithoutWarnings() throws Exception {
    try (LiveGroup live = LiveGroup.start(env, "healthy-orders", 3, "healthy-app")) {
      policies.applySpec(
          "healthy",
          env.policySpec(
              """
              groups: [healthy-app]
              slo: {maxLagP95Messages: 500, window: 5s}
              """));

      ConsumerGroupPolicyStatus status =
          policies.awaitStatus(
              "healthy", s -> ready(s) && s.groups() != null && s.groups().get(0).members() == 1);

      GroupStatus group = status.groups().get(0);
      assertThat(group.groupId()).isEqualTo("healthy-app");
      assertThat(group.state()).isEqualTo("Stable");
      assertThat(group.topics()).containsExactly("healthy-orders");
      assertThat(group.coverage()).isEqualTo(1.0);
      assertThat(group.fairnessGini()).isEqualTo(0.0);
      assertThat(group.lag().max()).isLessThan(500);
      assertThat(status.summary().health()).isEqualTo(Health.Healthy);
      assertThat(condition(status, "SLOCompliant").status()).isEqualTo("True");
      assertThat(condition(status, "NoStuckPartitions").status()).isEqualTo("True");
      assertThat(status.observedGeneration()).isEqualTo(1L);
      assertThat(warnings("healthy")).isEmpty();
      // the same evaluation through the operator's insight API
      HttpResponse<String> api =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + env.harness().operator().httpPort()
                                  + "/api/v1/consumers/groups/healthy-app/health"))
                      .header("Authorization", "Bearer test-token")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.body())
          .contains("\"cluster\":\"team-a/healthy\"")
          .contains("\"health\":\"HEALTHY\"");
    }
  }

  @Test
  void aConsumerThatStopsCommittingIsReportedStuckThenRecovered() {
    try (LiveGroup live = LiveGroup.start(env, "stall-orders", 1, "stall-app")) {
      policies.applySpec(
          "stall",
          env.policySpec(
              """
              groups: [stall-app]
              stuck: {window: 4s}
              """));
      policies.awaitStatus(
          "stall", s -> ready(s) && s.groups() != null && s.groups().get(0).members() == 1);

      live.consumer().committing(false);

      ConsumerGroupPolicyStatus stuck =
          policies.awaitStatus("stall", s -> s.summary() != null && s.summary().stuck() == 1);
      var partition = stuck.groups().get(0).stuckPartitions().get(0);
      assertThat(partition.topic()).isEqualTo("stall-orders");
      assertThat(partition.partition()).isZero();
      assertThat(partition.reason()).isEqualTo("STALL");
      assertThat(partition.lag()).isPositive();
      assertThat(stuck.summary().health()).isEqualTo(Health.Critical);
      assertThat(condition(stuck, "NoStuckPartitions").status()).isEqualTo("False");
      assertThat(stuck.groups().get(0).recommendation()).contains("stall-orders-0");
      env.awaitEvent("stall", "StuckPartition");

      live.consumer().committing(true);

      policies.awaitStatus("stall", s -> s.summary().stuck() == 0);
      env.awaitEvent("stall", "StuckPartitionRecovered");
      assertThat(env.events("stall", "StuckPartition")).hasSize(1);
    }
  }

  @Test
  void aGroupFallingBehindViolatesTheSloAndRecovers() {
    env.kafka().createTopic("slo-orders", 2);
    env.kafka().produce("slo-orders", 2, 100);
    TopicPartition p0 = new TopicPartition("slo-orders", 0);
    TopicPartition p1 = new TopicPartition("slo-orders", 1);
    env.kafka().commit("slo-app", Map.of(p0, 0L, p1, 0L));
    policies.applySpec(
        "slo",
        env.policySpec(
            """
            groups: [slo-app]
            slo: {maxLagP95Messages: 10, window: 3s, complianceTarget: 0.9}
            """));

    ConsumerGroupPolicyStatus violated =
        policies.awaitStatus(
            "slo",
            s ->
                s.groups() != null
                    && Double.valueOf(0.0).equals(s.groups().get(0).sloCompliance()));
    assertThat(violated.groups().get(0).lag().total()).isEqualTo(200);
    assertThat(violated.summary().health()).isEqualTo(Health.Critical);
    assertThat(condition(violated, "SLOCompliant").status()).isEqualTo("False");
    assertThat(condition(violated, "SLOCompliant").message()).contains("slo-app");
    env.awaitEvent("slo", "SLOViolation");

    env.kafka().commit("slo-app", Map.of(p0, 100L, p1, 100L));

    policies.awaitStatus("slo", s -> Double.valueOf(1.0).equals(s.groups().get(0).sloCompliance()));
    env.awaitEvent("slo", "SLORecovered");
    assertThat(env.events("slo", "SLOViolation")).hasSize(1);
  }

  @Test
  void anUnevenAssignmentIsReportedUnfair() {
    env.kafka().createTopic("unfair-orders", 4);
    Map<String, Object> unfair =
        Map.of(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, AllToOneAssignor.class.getName());
    try (ConsumerLoop first =
            new ConsumerLoop(
                env.kafka().consumer("unfair-app", null, unfair), List.of("unfair-orders"));
        ConsumerLoop second =
            new ConsumerLoop(
                env.kafka().consumer("unfair-app", null, unfair), List.of("unfair-orders"))) {
      policies.applySpec(
          "unfair",
          env.policySpec(
              """
              groups: [unfair-app]
              # an uneven assignment is raised once it has lasted the recovery time (default 5m)
              recoveryTime: 2s
              """));

      ConsumerGroupPolicyStatus status =
          policies.awaitStatus(
              "unfair",
              s ->
                  s.groups() != null
                      && s.groups().get(0).members() == 2
                      && "Stable".equals(s.groups().get(0).state())
                      && s.groups().get(0).fairnessGini() > 0.3);
      // raised once it has lasted the recovery time
      status =
          policies.awaitStatus(
              "unfair", s -> "False".equals(condition(s, "FairlyDistributed").status()));

      // 4 and 0 partitions over two members: the corrected Gini is 1.
      assertThat(status.groups().get(0).fairnessGini()).isEqualTo(1.0);
      assertThat(status.groups().get(0).assignor()).isEqualTo("all-to-one");
      assertThat(status.summary().worstGini()).isEqualTo(1.0);
      assertThat(status.summary().health()).isEqualTo(Health.Warning);
      env.awaitEvent("unfair", "UnfairDistribution");
    }
  }

  @Test
  void repeatedJoinsAndLeavesLowerTheRebalanceScore() {
    env.kafka().createTopic("churn-orders", 2);
    policies.applySpec(
        "churn",
        env.policySpec(
            """
            groups: [churn-app]
            rebalance: {maxRebalances: 4, minScore: 70, window: 10m}
            """));
    try (ConsumerLoop steady =
        new ConsumerLoop(env.kafka().consumer("churn-app", null), List.of("churn-orders"))) {
      policies.awaitStatus("churn", s -> s.groups() != null && s.groups().get(0).members() == 1);
      for (int i = 0; i < 3; i++) {
        try (ConsumerLoop visitor =
            new ConsumerLoop(env.kafka().consumer("churn-app", null), List.of("churn-orders"))) {
          policies.awaitStatus("churn", s -> s.groups().get(0).members() == 2);
        }
        policies.awaitStatus("churn", s -> s.groups().get(0).members() == 1);
      }

      ConsumerGroupPolicyStatus status =
          policies.awaitStatus("churn", s -> s.groups().get(0).rebalanceScore() < 70);
      assertThat(status.groups().get(0).rebalances()).isGreaterThanOrEqualTo(2);
      assertThat(condition(status, "RebalanceStable").status()).isEqualTo("False");
      env.awaitEvent("churn", "RebalanceInstability");
    }
  }

  @Test
  void anUnreachableClusterIsReportedAndRecoveredWhenItComesBack() {
    try (KafkaBroker flaky = KafkaBroker.builder().build().start();
        KafkaTestClients flakyClients = new KafkaTestClients(flaky.bootstrapServers())) {
      flakyClients.createTopic("flaky-orders", 1);
      flakyClients.produce("flaky-orders", 1, 5);
      flakyClients.commit("flaky-app", "flaky-orders", 5);
      policies.applySpec(
          "flaky", TestResources.policySpec(flaky.bootstrapServers(), "groups: [flaky-app]"));
      policies.awaitStatus("flaky", ConsumerGroupPolicyIT::ready);

      flaky.stop();

      ConsumerGroupPolicyStatus down = policies.awaitReadyReason("flaky", "KafkaUnreachable");
      assertThat(condition(down, "Ready").status()).isEqualTo("False");
      assertThat(condition(down, "Ready").message()).contains(flaky.bootstrapServers());
      assertThat(down.summary().health()).isEqualTo(Health.Critical);
      assertThat(down.groups()).as("last known groups are kept").hasSize(1);
      env.awaitEvent("flaky", "SourceUnreachable");

      flaky.start();

      policies.awaitStatus("flaky", ConsumerGroupPolicyIT::ready);
      env.awaitEvent("flaky", "SourceRecovered");
      assertThat(env.events("flaky", "SourceUnreachable")).hasSize(1);
    }
  }

  @Test
  void aGroupThatDisappearsIsReported() throws Exception {
    env.kafka().createTopic("gone-orders", 1);
    env.kafka().produce("gone-orders", 1, 3);
    env.kafka().commit("gone-app", "gone-orders", 3);
    policies.applySpec("gone", env.policySpec("groups: [gone-app]"));
    policies.awaitStatus("gone", s -> ready(s) && s.groups() != null && s.groups().size() == 1);

    env.kafka().admin().deleteConsumerGroups(List.of("gone-app")).all().get();

    ConsumerGroupPolicyStatus status = policies.awaitReadyReason("gone", "GroupNotFound");
    assertThat(status.missingGroups()).containsExactly("gone-app");
    assertThat(status.groups()).isNullOrEmpty();
    assertThat(condition(status, "Ready").message()).contains("gone-app");
    env.awaitEvent("gone", "GroupNotFound");
  }

  @Test
  void anInvalidPatternIsReportedNamingTheFieldAndRecoversWhenFixed() {
    env.kafka().createTopic("regex-orders", 1);
    env.kafka().commit("regex-app-1", "regex-orders", 0);
    policies.applySpec("regex", env.policySpec("groupPattern: \"regex-app-([\""));

    ConsumerGroupPolicyStatus invalid = policies.awaitReadyReason("regex", "InvalidSpec");
    assertThat(condition(invalid, "Ready").message()).startsWith("spec.groupPattern:");

    ConsumerGroupPolicy policy = policies.get("regex");
    policies.apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: regex, namespace: team-a, resourceVersion: "%s"}
        spec:
          kafka: {bootstrapServers: "%s"}
          groupPattern: "regex-app-.*"
          interval: 1s
        """
            .formatted(policy.getMetadata().getResourceVersion(), env.broker().bootstrapServers()));

    ConsumerGroupPolicyStatus fixed = policies.awaitStatus("regex", ConsumerGroupPolicyIT::ready);
    assertThat(fixed.groups()).extracting(GroupStatus::groupId).containsExactly("regex-app-1");
  }

  @Test
  void anUnresolvableBootstrapAddressAndAMissingSecretAreNamed() {
    policies.apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: nohost, namespace: team-a}
        spec:
          kafka: {bootstrapServers: "kafka.does-not-exist.invalid:9092"}
          groups: [g]
          interval: 1s
        """);
    policies.apply(
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: nosecret, namespace: team-a}
        spec:
          kafka:
            bootstrapServers: "%s"
            sasl:
              mechanism: SCRAM-SHA-512
              username: app
              passwordSecretRef: {name: kafka-credentials, key: password}
          groups: [g]
          interval: 1s
        """
            .formatted(env.broker().bootstrapServers()));

    ConsumerGroupPolicyStatus nohost =
        policies.awaitReadyReason("nohost", "InvalidBootstrapServers");
    assertThat(condition(nohost, "Ready").message()).startsWith("spec.kafka.bootstrapServers:");
    ConsumerGroupPolicyStatus nosecret = policies.awaitReadyReason("nosecret", "SecretNotFound");
    assertThat(condition(nosecret, "Ready").message())
        .contains("spec.kafka.sasl.passwordSecretRef")
        .contains("kafka-credentials");
  }

  @Test
  void metricsArePublishedAndRemovedWithThePolicy() throws Exception {
    env.kafka().createTopic("metric-orders", 2);
    env.kafka().produce("metric-orders", 2, 7);
    env.kafka().commit("metric-app", "metric-orders", 2, 7);
    policies.applySpec("metric", env.policySpec("groups: [metric-app]"));
    policies.awaitStatus("metric", ConsumerGroupPolicyIT::ready);

    String lagSeries =
        "groupwarden_group_lag{group=\"metric-app\",lagmonitor=\"\",namespace=\"team-a\",partition=\"0\",policy=\"metric\",topic=\"metric-orders\"} 5.0";
    await().atMost(PATIENCE).until(() -> env.scrape().contains(lagSeries));
    assertThat(env.scrape())
        .contains(
            "groupwarden_group_rebalance_score{group=\"metric-app\",namespace=\"team-a\",policy=\"metric\"}")
        .contains(
            "groupwarden_group_stuck_partitions{group=\"metric-app\",namespace=\"team-a\",policy=\"metric\"} 0.0");

    policies.delete("metric");

    await().atMost(PATIENCE).until(() -> !env.scrape().contains("policy=\"metric\""));
  }

  @Test
  void scalesTheDeploymentUpAtOnceWithinBoundsAndDownAfterStabilization() {
    try (KafkaTestClients kafka = new KafkaTestClients(env.broker().bootstrapServers())) {
      kafka.createTopic("scale-orders", 4);
      kafka.produce("scale-orders", 4, 10);
      commitOnEveryPartition(kafka, 1L); // 36 messages of lag
      env.createDeployment("scale-app", "consumer");
      policies.applySpec(
          "scaler",
          env.policySpec(
              """
              groups: [scale-app]
              autoscale:
                targetRef: {kind: Deployment, name: scale-app}
                minReplicas: 1
                maxReplicas: 10
                lagPerReplica: 10
                scaleDownStabilization: 3s
              """));

      // ceil(36 / 10) = 4, which is also the partition count
      await().atMost(Duration.ofSeconds(60)).until(() -> replicas() == 4);
      ConsumerGroupPolicyStatus up =
          policies.awaitStatus(
              "scaler", s -> s.autoscale() != null && s.autoscale().desiredReplicas() == 4);
      assertThat(up.autoscale().target()).isEqualTo("Deployment/scale-app");
      assertThat(up.autoscale().lastScaleTime()).isNotNull();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  env.client().v1().events().inNamespace(NS).list().getItems().stream()
                      .anyMatch(
                          e ->
                              "Scaled".equals(e.getReason())
                                  && e.getMessage().contains("from 1 to 4")));

      commitOnEveryPartition(kafka, 10L); // caught up

      await().atMost(Duration.ofSeconds(60)).until(() -> replicas() == 1);
      ConsumerGroupPolicyStatus down =
          policies.awaitStatus("scaler", s -> s.autoscale().desiredReplicas() == 1);
      assertThat(condition(down, "Ready").isTrue()).isTrue();
    }
  }

  @Test
  void aMissingScaleTargetIsNamedWhileTheGroupsAreStillEvaluated() {
    policies.applySpec(
        "notarget",
        env.policySpec(
            """
            groupPattern: "scale-.*"
            autoscale:
              targetRef: {kind: StatefulSet, name: not-there}
              maxReplicas: 3
              lagPerReplica: 10
            """));

    ConsumerGroupPolicyStatus status = policies.awaitReadyReason("notarget", "ScaleTargetNotFound");
    assertThat(condition(status, "Ready").message())
        .contains("spec.autoscale.targetRef")
        .contains("StatefulSet/not-there");
  }

  // --- helpers -------------------------------------------------------------------------------

  private static boolean ready(ConsumerGroupPolicyStatus status) {
    return status.condition("Ready").map(Condition::isTrue).orElse(false);
  }

  private static List<Event> warnings(String policy) {
    return env.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> policy.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  /** Commits {@code offset} on each of scale-orders' four partitions for scale-app. */
  private static void commitOnEveryPartition(KafkaTestClients kafka, long offset) {
    kafka.commit("scale-app", "scale-orders", offset, offset, offset, offset);
  }

  private static int replicas() {
    Deployment deployment =
        env.client().apps().deployments().inNamespace(NS).withName("scale-app").get();
    return deployment.getSpec().getReplicas();
  }
}
