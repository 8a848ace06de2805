package io.groupwarden.e2e.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.support.TestResources;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The set-up the secured end-to-end tests share: a ConsumerGroupPolicy with a managed coordinator
 * and no security settings, that coordinator run as its pod would run it, the check that it offers
 * SASL_SSL only, and the check that no secret of the namespace shows where people and collectors
 * look.
 *
 * @param status the coordinator's status once it was first ready
 */
record SecuredCoordinator(
    KubernetesClient client,
    String namespace,
    String policy,
    ManagedCoordinatorProcess process,
    CoordinatorStatus status)
    implements AutoCloseable {

  /**
   * Applies policy {@code policy} governing {@code groups} with a managed coordinator that also
   * creates {@code users}, runs the coordinator at {@code podAddress} once the operator has written
   * it, and waits for the policy's status to call it ready.
   */
  static SecuredCoordinator start(
      KubernetesClient client,
      String namespace,
      String policy,
      List<String> users,
      List<String> groups,
      String podAddress,
      Path dir)
      throws InterruptedException {
    TestResources.applySpec(
        client,
        ConsumerGroupPolicy.class,
        namespace,
        policy,
        """
        kafka:
          coordinator:
            users: [%s]
        groups: [%s]
        interval: 1s
        """
            .formatted(String.join(", ", users), String.join(", ", groups)));
    ManagedCoordinatorProcess process =
        ManagedCoordinatorProcess.start(client, namespace, policy, podAddress, dir);
    try {
      CoordinatorStatus status =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> SecuredClients.coordinator(client, namespace, policy), s -> s.ready());
      assertThat(status.securityProtocol()).isEqualTo("SASL_SSL");
      assertThat(status.plaintextBootstrapServers()).isNull();
      return new SecuredCoordinator(client, namespace, policy, process, status);
    } catch (RuntimeException | AssertionError e) {
      process.close();
      throw e;
    }
  }

  /** Kafka client settings for {@code user}, as the status tells users to connect. */
  Map<String, Object> clientSettings(String user) {
    return SecuredClients.as(client, namespace, policy, user);
  }

  /**
   * Fails if any secret of the namespace appears in {@code log} (what this JVM logged), the
   * coordinator's log, or the status and events of {@code kinds}.
   *
   * @return the secrets looked for, by where they come from, for further checks
   */
  Map<String, String> assertNoSecretLeaks(String log, List<Class<? extends HasMetadata>> kinds)
      throws IOException {
    Map<String, String> secrets = SecretLeaks.secrets(client, namespace);
    SecretLeaks.assertNoneIn("this JVM's log (the operator and in-process workers)", log, secrets);
    SecretLeaks.assertNoneIn("the coordinator's log", process.logText(), secrets);
    SecretLeaks.assertNoneIn(
        "status and events", SecretLeaks.statusAndEvents(client, namespace, kinds), secrets);
    return secrets;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
