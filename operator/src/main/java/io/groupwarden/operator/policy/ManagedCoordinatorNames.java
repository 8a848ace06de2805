package io.groupwarden.operator.policy;

import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;

/** Names of the objects that make up a policy's managed coordinator broker. */
public final class ManagedCoordinatorNames {
  public static final int KAFKA_PORT = 9092;
  public static final int HTTP_PORT = 8080;

  private ManagedCoordinatorNames() {}

  /** The StatefulSet, the client Service and the ConfigMap: {@code <policy>-coordinator}. */
  public static String name(ConsumerGroupPolicy policy) {
    return policy.getMetadata().getName() + "-coordinator";
  }

  /** The headless Service that gives the pod its stable DNS name. */
  public static String headlessName(ConsumerGroupPolicy policy) {
    return name(policy) + "-headless";
  }

  /**
   * The address the operator uses to reach the coordinator, from a template with {@code {name}} and
   * {@code {namespace}} (OperatorConfig#coordinatorAddress).
   */
  public static String operatorAddress(ConsumerGroupPolicy policy, String template) {
    return template
        .replace("{name}", policy.getMetadata().getName())
        .replace("{namespace}", policy.getMetadata().getNamespace());
  }

  /** The address clients in the cluster use: the client Service's DNS name and the Kafka port. */
  public static String bootstrapServers(ConsumerGroupPolicy policy) {
    return name(policy) + "." + policy.getMetadata().getNamespace() + ".svc:" + KAFKA_PORT;
  }
}
