package io.groupwarden.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.support.TestResources;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The ConsumerGroupPolicies of the parity tests: one per cluster compared (the coordinator broker
 * and Apache Kafka), evaluating the same groups every second in namespace {@code parity}.
 */
public final class ParityPolicies {
  private static final String NAMESPACE = "parity";

  private ParityPolicies() {}

  /** Applies policy {@code name} for {@code groups} on the cluster at {@code bootstrap}. */
  public static void apply(
      KubernetesClient client, String name, String bootstrap, List<String> groups) {
    TestResources.applySpec(
        client,
        ConsumerGroupPolicy.class,
        NAMESPACE,
        name,
        TestResources.policySpec(bootstrap, "groups: [%s]".formatted(String.join(", ", groups))));
  }

  /** The policy's status once it passes {@code settled}, within a minute and a half. */
  public static ConsumerGroupPolicyStatus awaitStatus(
      KubernetesClient client, String name, Predicate<ConsumerGroupPolicyStatus> settled) {
    return TestResources.awaitStatus(
        client, ConsumerGroupPolicy.class, NAMESPACE, name, Duration.ofSeconds(90), settled);
  }
}
