package io.groupwarden.operator.policy.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.groupwarden.operator.policy.coordinator.tls.CertificateIssuer;
import io.groupwarden.operator.policy.coordinator.tls.CertificateRenewal;
import io.groupwarden.operator.policy.coordinator.tls.CoordinatorTls;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The coordinator's Secrets as values: names, types, keys, owners; no server. */
class CoordinatorSecretsTest {
  private static ConsumerGroupPolicy policy(List<String> users) {
    return OrdersPolicy.with(CoordinatorSpecs.defaults().users(users).build());
  }

  private final ConsumerGroupPolicy policy = policy(null);
  private final CoordinatorSecrets secrets = new CoordinatorSecrets(policy);

  @Test
  void everySecretIsOwnedByThePolicySoItGoesWithIt() {
    Secret user = secrets.user("groupwarden-operator", "pw");

    assertThat(user.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("ConsumerGroupPolicy");
              assertThat(o.getName()).isEqualTo("orders");
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(user.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(user.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "groupwarden")
        .containsEntry(CoordinatorSecrets.USER_LABEL, "groupwarden-operator");
  }

  @Test
  void aUserSecretHoldsNamePasswordAndAJaasLineForKafkaClients() {
    Secret user = secrets.user("groupwarden-sink-archive", "s3cret");

    assertThat(user.getMetadata().getName())
        .isEqualTo("orders-coordinator-user-groupwarden-sink-archive");
    assertThat(CoordinatorSecrets.value(user, "username")).isEqualTo("groupwarden-sink-archive");
    assertThat(CoordinatorSecrets.value(user, "password")).isEqualTo("s3cret");
    assertThat(CoordinatorSecrets.value(user, "sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"groupwarden-sink-archive\" password=\"s3cret\";");
  }

  @Test
  void theUsersFileHasOneLinePerUserInTheBrokersFormat() {
    TreeMap<String, String> passwords = new TreeMap<>();
    passwords.put("groupwarden-operator", "p1");
    passwords.put("alice", "p2");

    Secret file = secrets.usersFile(passwords);

    assertThat(file.getMetadata().getName()).isEqualTo("orders-coordinator-users");
    assertThat(CoordinatorSecrets.value(file, "users"))
        .isEqualTo("alice:p2\ngroupwarden-operator:p1\n");
  }

  @Test
  void theGeneratedCertificatesReadBackAsTheyWereWritten() {
    CoordinatorTls tls =
        new CertificateRenewal(Duration.ofDays(365), Duration.ofDays(30))
            .next(
                Optional.empty(),
                "groupwarden shop/orders",
                CoordinatorModel.dnsNames(policy),
                Instant.now(),
                new CertificateIssuer());

    Secret caKey = secrets.caKey(tls);
    Secret ca = secrets.ca(tls);
    Secret brokerTls = secrets.brokerTls(tls);

    assertThat(brokerTls.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(brokerTls.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(ca.getData()).as("clients may read it: no key").containsOnlyKeys("ca.crt");
    assertThat(caKey.getMetadata().getName()).isEqualTo("orders-coordinator-ca-key");
    assertThat(CoordinatorSecrets.readTls(caKey, ca, brokerTls)).contains(tls);
    assertThat(CoordinatorSecrets.readTls(caKey, null, brokerTls)).isEmpty();
  }

  @Test
  void usersAreTheOperatorTheSpecsAndOnePerSinkAndMonitor() {
    List<CoordinatorUser> users =
        CoordinatorUsers.desired(
            policy(List.of("alice")), List.of("zeta", "archive"), List.of("watch"));

    assertThat(users)
        .extracting(u -> u.name() + " " + u.usedBy() + " " + u.secretName())
        .containsExactly(
            "groupwarden-operator operator orders-coordinator-user-groupwarden-operator",
            "alice spec orders-coordinator-user-alice",
            "groupwarden-sink-archive MongoSink/archive"
                + " orders-coordinator-user-groupwarden-sink-archive",
            "groupwarden-sink-zeta MongoSink/zeta orders-coordinator-user-groupwarden-sink-zeta",
            "groupwarden-lagmonitor-watch LagMonitor/watch"
                + " orders-coordinator-user-groupwarden-lagmonitor-watch");
  }
}
