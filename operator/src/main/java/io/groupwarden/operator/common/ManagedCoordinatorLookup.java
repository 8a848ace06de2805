package io.groupwarden.operator.common;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaConnections;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Resolves a {@code policyRef} of another resource to the coordinator broker that policy manages:
 * the address its clients use and how they authenticate (from the policy's status: the CA Secret
 * and the resource's own SCRAM user Secret), and the connection the operator uses.
 */
public record ManagedCoordinatorLookup(
    KubernetesClient client, KafkaConnections connections, String operatorAddressTemplate) {
  /**
   * A policy's coordinator as one of its users sees it.
   *
   * @param clients the bootstrap address for workloads in the cluster
   * @param operator how the operator itself connects, as that user
   * @param tls the CA clients trust, as a Secret reference
   * @param sasl the user's SCRAM credentials, as Secret references
   * @param trustDigest a digest of the CA certificates now trusted: it changes when the CA does
   */
  public record Coordinator(
      String clients, KafkaConnection operator, KafkaTls tls, KafkaSasl sasl, String trustDigest) {}

  /**
   * Looks the policy up.
   *
   * @param user the SCRAM user the caller connects as (ManagedCoordinatorNames#sinkUser, …)
   * @param field the referencing field, for error messages (e.g. spec.kafka.policyRef)
   * @throws SpecProblem PolicyNotFound, CoordinatorNotReady, CoordinatorUserPending or
   *     SecretNotFound
   */
  public Coordinator resolve(String namespace, String policyName, String user, String field) {
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
    CoordinatorStatus coordinator = status == null ? null : status.coordinator();
    if (coordinator == null
        || coordinator.bootstrapServers() == null
        || coordinator.caSecret() == null) {
      throw new SpecProblem(
          "CoordinatorNotReady",
          field
              + ": ConsumerGroupPolicy "
              + policyName
              + " has no managed coordinator (yet); its status.coordinator is empty");
    }
    CoordinatorUser account =
        coordinator
            .user(user)
            .orElseThrow(
                () ->
                    new SpecProblem(
                        "CoordinatorUserPending",
                        field
                            + ": waiting for ConsumerGroupPolicy "
                            + policyName
                            + " to create the SCRAM user "
                            + user));
    KafkaTls tls = new KafkaTls(coordinator.caSecret(), null, null);
    KafkaSasl sasl =
        new KafkaSasl(
            KafkaSasl.Mechanism.SCRAM_SHA_512,
            null,
            new SecretKeyRef(account.secretName(), "username"),
            new SecretKeyRef(account.secretName(), "password"));
    KafkaConnection operator =
        connections.resolve(
            namespace,
            ManagedCoordinatorNames.operatorAddress(policy, operatorAddressTemplate),
            tls,
            sasl,
            field);
    String trusted = operator.clientProperties().getOrDefault("ssl.truststore.certificates", "");
    return new Coordinator(coordinator.bootstrapServers(), operator, tls, sasl, digest(trusted));
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
