package io.groupwarden.operator.common;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;

/**
 * Resolves a {@code policyRef} of another resource to the coordinator broker that policy manages:
 * the address its clients use (from the policy's status) and the connection the operator uses.
 */
public final class ManagedCoordinatorLookup {
  private final KubernetesClient client;
  private final String operatorAddressTemplate;

  public ManagedCoordinatorLookup(KubernetesClient client, String operatorAddressTemplate) {
    this.client = client;
    this.operatorAddressTemplate = operatorAddressTemplate;
  }

  /**
   * The two addresses of a policy's coordinator.
   *
   * @param clients the bootstrap address for workloads in the cluster
   * @param operator how the operator itself connects
   */
  public record Addresses(String clients, KafkaConnection operator) {}

  /**
   * Looks the policy up.
   *
   * @param field the referencing field, for error messages (e.g. spec.kafka.policyRef)
   * @throws SpecProblem PolicyNotFound or CoordinatorNotReady
   */
  public Addresses resolve(String namespace, String policyName, String field) {
    ConsumerGroupPolicy policy =
        client
            .resources(ConsumerGroupPolicy.class)
            .inNamespace(namespace)
            .withName(policyName)
            .get();
    if (policy == null) {
      throw new SpecProblem(
          "PolicyNotFound",
          field + ": ConsumerGroupPolicy " + policyName + " not found in " + namespace);
    }
    ConsumerGroupPolicyStatus status = policy.getStatus();
    if (status == null
        || status.coordinator() == null
        || status.coordinator().bootstrapServers() == null) {
      throw new SpecProblem(
          "CoordinatorNotReady",
          field
              + ": ConsumerGroupPolicy "
              + policyName
              + " has no managed coordinator (yet); its status.coordinator is empty");
    }
    return new Addresses(
        status.coordinator().bootstrapServers(),
        KafkaConnection.plaintext(
            ManagedCoordinatorNames.operatorAddress(policy, operatorAddressTemplate)));
  }
}
