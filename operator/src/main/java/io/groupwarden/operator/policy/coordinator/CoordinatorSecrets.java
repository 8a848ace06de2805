package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.groupwarden.common.SaslJaas;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.coordinator.tls.BrokerCertificate;
import io.groupwarden.operator.policy.coordinator.tls.CertificateAuthority;
import io.groupwarden.operator.policy.coordinator.tls.CoordinatorTls;
import io.groupwarden.operator.policy.coordinator.tls.Pem;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The Secrets of a managed coordinator as pure functions of the policy and their contents: the CA a
 * client trusts, the CA's key, the broker's {@code kubernetes.io/tls} certificate, one Secret per
 * SCRAM user, the broker's users file and its HTTP token. Every one is owned by the policy, so it
 * is deleted with it.
 */
public record CoordinatorSecrets(ConsumerGroupPolicy policy) {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String JAAS_CONFIG = "sasl.jaas.config";
  public static final String USERS_FILE = "users";
  public static final String HTTP_TOKEN = "token";

  /** Label of a user Secret naming its user. */
  public static final String USER_LABEL = "groupwarden.io/coordinator-user";

  /** The CA certificates clients trust; nothing secret in it. */
  public Secret ca(CoordinatorTls tls) {
    return secret(
        ManagedCoordinatorNames.caSecretName(policy), "Opaque", Map.of(CA_CERT, tls.trustedPem()));
  }

  /** The signing CA with its key, for the operator alone. */
  public Secret caKey(CoordinatorTls tls) {
    return secret(
        ManagedCoordinatorNames.caKeySecretName(policy),
        "Opaque",
        Map.of(CA_CERT, tls.signing().certificatePem(), CA_KEY, tls.signing().privateKeyPem()));
  }

  /** The broker's certificate, as cert-manager would write it. */
  public Secret brokerTls(CoordinatorTls tls) {
    return secret(
        ManagedCoordinatorNames.tlsSecretName(policy),
        "kubernetes.io/tls",
        Map.of(
            TLS_CERT,
            tls.broker().certificatePem(),
            TLS_KEY,
            tls.broker().privateKeyPem(),
            CA_CERT,
            tls.trustedPem()));
  }

  /**
   * Reads back the generated material, or nothing when any part is missing or unreadable (it is
   * then made anew).
   */
  public static Optional<CoordinatorTls> readTls(Secret caKey, Secret ca, Secret brokerTls) {
    if (caKey == null || ca == null || brokerTls == null) {
      return Optional.empty();
    }
    try {
      String caCertificate = value(caKey, CA_CERT);
      String caPrivateKey = value(caKey, CA_KEY);
      String trusted = value(ca, CA_CERT);
      String certificate = value(brokerTls, TLS_CERT);
      String key = value(brokerTls, TLS_KEY);
      if (caCertificate == null
          || caPrivateKey == null
          || trusted == null
          || certificate == null
          || key == null) {
        return Optional.empty();
      }
      List<String> trustedPems = Pem.certificates(trusted).stream().map(Pem::write).toList();
      return Optional.of(
          new CoordinatorTls(
              new CertificateAuthority(caCertificate, caPrivateKey),
              trustedPems,
              new BrokerCertificate(certificate, key)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** One user's credentials, with a ready JAAS line for Kafka clients. */
  public Secret user(String name, String password) {
    Secret secret =
        secret(
            ManagedCoordinatorNames.userSecretName(policy, name),
            "Opaque",
            Map.of(
                USERNAME,
                name,
                PASSWORD,
                password,
                JAAS_CONFIG,
                SaslJaas.config(KafkaSasl.Mechanism.SCRAM_SHA_512.kafkaName(), name, password)));
    secret.getMetadata().getLabels().put(USER_LABEL, name);
    return secret;
  }

  /**
   * The broker's {@code --sasl-users} file: one {@code name:password} line per user, so a broker
   * started on an empty volume knows them all.
   */
  public Secret usersFile(SortedMap<String, String> passwords) {
    String lines =
        passwords.entrySet().stream()
            .map(e -> e.getKey() + ":" + e.getValue() + "\n")
            .collect(Collectors.joining());
    return secret(
        ManagedCoordinatorNames.usersSecretName(policy), "Opaque", Map.of(USERS_FILE, lines));
  }

  /** The bearer token of the broker's HTTP port. */
  public Secret httpToken(String token) {
    return secret(
        ManagedCoordinatorNames.httpTokenSecretName(policy), "Opaque", Map.of(HTTP_TOKEN, token));
  }

  /** A key's decoded value, or null. */
  public static String value(Secret secret, String key) {
    if (secret == null) {
      return null;
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return new String(
          Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(key);
  }

  private Secret secret(String name, String type, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(policy.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(CoordinatorModel.labels(policy)))
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion(policy.getApiVersion())
                        .withKind(policy.getKind())
                        .withName(policy.getMetadata().getName())
                        .withUid(policy.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .build())
        .withType(type)
        .withData(data)
        .build();
  }
}
