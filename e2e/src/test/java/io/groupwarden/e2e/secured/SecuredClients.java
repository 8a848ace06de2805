package io.groupwarden.e2e.secured;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Kafka client settings for a workload of the cluster that uses a managed coordinator as its status
 * tells users to: SASL_SSL, SCRAM-SHA-512 with the JAAS line of a user Secret, the CA certificates
 * of the CA Secret.
 */
final class SecuredClients {
  private SecuredClients() {}

  static CoordinatorStatus coordinator(KubernetesClient client, String namespace, String policy) {
    return client
        .resources(ConsumerGroupPolicy.class)
        .inNamespace(namespace)
        .withName(policy)
        .get()
        .getStatus()
        .coordinator();
  }

  /** The settings of {@code user}, which the status must name. */
  static Map<String, Object> as(
      KubernetesClient client, String namespace, String policy, String user) {
    CoordinatorStatus coordinator = coordinator(client, namespace, policy);
    String userSecret =
        coordinator
            .user(user)
            .orElseThrow(() -> new AssertionError("status.coordinator names no user " + user))
            .secretName();
    return Map.of(
        "security.protocol",
        coordinator.securityProtocol(),
        "sasl.mechanism",
        coordinator.saslMechanism(),
        "sasl.jaas.config",
        value(client, namespace, userSecret, "sasl.jaas.config"),
        "ssl.truststore.type",
        "PEM",
        "ssl.truststore.certificates",
        value(client, namespace, coordinator.caSecret().name(), coordinator.caSecret().key()));
  }

  static String value(KubernetesClient client, String namespace, String secret, String key) {
    Secret found = client.secrets().inNamespace(namespace).withName(secret).get();
    return new String(Base64.getDecoder().decode(found.getData().get(key)), StandardCharsets.UTF_8);
  }
}
