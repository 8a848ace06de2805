package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.coordinator.tls.CertificateIssuer;
import io.groupwarden.operator.policy.coordinator.tls.CertificateRenewal;
import io.groupwarden.operator.policy.coordinator.tls.CoordinatorTls;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.CoordinatorTlsSpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a managed coordinator's Secrets in line: the generated CA and broker certificate (created,
 * renewed before they expire) or a check of the Secret the spec names, one Secret per SCRAM user
 * with a random password (created once, never changed), the broker's users file and its HTTP token.
 * Secrets of users no longer wanted are deleted. Nothing secret is logged.
 */
public final class CoordinatorCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorCredentials.class);
  private static final String TLS_FIELD = "spec.kafka.coordinator.tls";

  private final KubernetesClient client;
  private final CertificateIssuer issuer;
  private final SecureRandom random;

  public CoordinatorCredentials(KubernetesClient client) {
    this(client, new SecureRandom());
  }

  CoordinatorCredentials(KubernetesClient client, SecureRandom random) {
    this.client = client;
    this.random = random;
    this.issuer = new CertificateIssuer(random);
  }

  /**
   * Makes the Secrets match what the policy needs at {@code now}.
   *
   * @param users the users to have
   * @param previous the users the status named before, whose Secrets go when no longer wanted
   * @throws SpecProblem when the TLS Secret the spec names is missing or incomplete
   */
  public CoordinatorAccess ensure(
      ConsumerGroupPolicy policy,
      List<CoordinatorUser> users,
      List<CoordinatorUser> previous,
      Instant now) {
    CoordinatorSecrets secrets = new CoordinatorSecrets(policy);
    CoordinatorTlsSpec tlsSpec = policy.getSpec().kafka().coordinator().tls();
    SecretKeyRef ca;
    String tlsSecret;
    if (tlsSpec != null && tlsSpec.secretName() != null) {
      tlsSecret = tlsSpec.secretName();
      requireTlsSecret(policy, tlsSecret);
      ca = new SecretKeyRef(tlsSecret, CoordinatorSecrets.CA_CERT);
    } else {
      generatedTls(policy, secrets, tlsSpec, now);
      tlsSecret = ManagedCoordinatorNames.tlsSecretName(policy);
      ca =
          new SecretKeyRef(
              ManagedCoordinatorNames.caSecretName(policy), CoordinatorSecrets.CA_CERT);
    }

    Map<String, String> passwords = new TreeMap<>();
    for (CoordinatorUser user : users) {
      Secret existing = get(policy, user.secretName());
      String password = CoordinatorSecrets.value(existing, CoordinatorSecrets.PASSWORD);
      if (password == null || password.isEmpty()) {
        password = newSecretText();
        write(existing, secrets.user(user.name(), password));
        LOG.info(
            "Created SCRAM user {} of coordinator {}/{} (Secret {})",
            user.name(),
            namespace(policy),
            ManagedCoordinatorNames.name(policy),
            user.secretName());
      }
      passwords.put(user.name(), password);
    }
    Set<String> wanted = users.stream().map(CoordinatorUser::name).collect(Collectors.toSet());
    for (CoordinatorUser old : previous) {
      if (!wanted.contains(old.name())
          && old.secretName().equals(ManagedCoordinatorNames.userSecretName(policy, old.name()))) {
        client.secrets().inNamespace(namespace(policy)).withName(old.secretName()).delete();
        LOG.info("Deleted SCRAM user Secret {} of {}", old.secretName(), namespace(policy));
      }
    }
    writeIfChanged(policy, secrets.usersFile(new TreeMap<>(passwords)));

    String tokenName = ManagedCoordinatorNames.httpTokenSecretName(policy);
    Secret token = get(policy, tokenName);
    if (CoordinatorSecrets.value(token, CoordinatorSecrets.HTTP_TOKEN) == null) {
      write(token, secrets.httpToken(newSecretText()));
    }
    return new CoordinatorAccess(ca, tlsSecret, tokenName, users, passwords);
  }

  private void generatedTls(
      ConsumerGroupPolicy policy,
      CoordinatorSecrets secrets,
      CoordinatorTlsSpec spec,
      Instant now) {
    CertificateRenewal renewal = renewal(spec);
    Secret caKey = get(policy, ManagedCoordinatorNames.caKeySecretName(policy));
    Secret ca = get(policy, ManagedCoordinatorNames.caSecretName(policy));
    Secret brokerTls = get(policy, ManagedCoordinatorNames.tlsSecretName(policy));
    Optional<CoordinatorTls> current = CoordinatorSecrets.readTls(caKey, ca, brokerTls);
    CoordinatorTls next =
        renewal.next(
            current,
            "groupwarden " + namespace(policy) + "/" + policy.getMetadata().getName(),
            CoordinatorModel.dnsNames(policy),
            now,
            issuer);
    if (current.isPresent() && current.get() == next) {
      return;
    }
    // The CA first, so that the broker never presents a certificate its clients cannot check yet.
    writeIfChanged(policy, secrets.caKey(next));
    writeIfChanged(policy, secrets.ca(next));
    writeIfChanged(policy, secrets.brokerTls(next));
    LOG.info(
        "Wrote the TLS certificates of coordinator {}/{}: broker certificate valid until {}, {}"
            + " CA certificate(s) trusted",
        namespace(policy),
        ManagedCoordinatorNames.name(policy),
        next.broker().notAfter(),
        next.trusted().size());
  }

  static CertificateRenewal renewal(CoordinatorTlsSpec spec) {
    Duration validity = Duration.ofDays(365);
    Duration renewBefore = Duration.ofDays(30);
    try {
      if (spec != null) {
        validity = KubeDuration.parseOr(spec.validity(), validity);
        renewBefore = KubeDuration.parseOr(spec.renewBefore(), renewBefore);
      }
      return new CertificateRenewal(validity, renewBefore);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid(TLS_FIELD + ".renewBefore", e.getMessage());
    }
  }

  private void requireTlsSecret(ConsumerGroupPolicy policy, String name) {
    Secret secret = get(policy, name);
    if (secret == null) {
      throw new SpecProblem(
          "SecretNotFound",
          TLS_FIELD + ".secretName: Secret " + name + " not found in " + namespace(policy));
    }
    for (String key :
        List.of(
            CoordinatorSecrets.TLS_CERT, CoordinatorSecrets.TLS_KEY, CoordinatorSecrets.CA_CERT)) {
      if (CoordinatorSecrets.value(secret, key) == null) {
        throw new SpecProblem(
            "SecretNotFound", TLS_FIELD + ".secretName: Secret " + name + " has no key " + key);
      }
    }
  }

  private String newSecretText() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Secret get(ConsumerGroupPolicy policy, String name) {
    return client.secrets().inNamespace(namespace(policy)).withName(name).get();
  }

  private void writeIfChanged(ConsumerGroupPolicy policy, Secret desired) {
    Secret existing = get(policy, desired.getMetadata().getName());
    if (existing != null
        && Objects.equals(decoded(existing), decoded(desired))
        && Objects.equals(existing.getType(), desired.getType())) {
      return;
    }
    write(existing, desired);
  }

  private void write(Secret existing, Secret desired) {
    if (existing == null) {
      client.secrets().resource(desired).create();
    } else {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.secrets().resource(desired).update();
    }
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().keySet().forEach(k -> values.put(k, CoordinatorSecrets.value(secret, k)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private static String namespace(ConsumerGroupPolicy policy) {
    return policy.getMetadata().getNamespace();
  }
}
