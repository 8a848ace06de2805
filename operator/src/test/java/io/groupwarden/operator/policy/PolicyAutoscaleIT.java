package io.groupwarden.operator.policy;

import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.support.CustomResources;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A policy scales its consumers' Deployment on lag, through the scale subresource. */
class PolicyAutoscaleIT {
  private static final String NS = "scaling";

  @RegisterExtension
  static final OperatorTestEnvironment env = OperatorTestEnvironment.inNamespace(NS);

  private static final CustomResources<ConsumerGroupPolicy, ConsumerGroupPolicyStatus> policies =
      env.resources(ConsumerGroupPolicy.class);

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
