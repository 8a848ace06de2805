package io.groupwarden.operator.lag;

import io.groupwarden.common.SaslJaas;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.SecretValues;
import io.groupwarden.operator.common.SpecProblem;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a resource's Kafka settings into a {@link KafkaConnection}: TLS material and SASL
 * credentials are read from the referenced Secrets into client properties (kept in memory only).
 */
public record KafkaConnections(SecretValues secrets) {
  /**
   * Resolves a connection.
   *
   * @param field the spec path of the kafka settings, for error messages (e.g. spec.kafka)
   * @throws SpecProblem when a referenced Secret or key is missing
   */
  public KafkaConnection resolve(
      String namespace, String bootstrapServers, KafkaTls tls, KafkaSasl sasl, String field) {
    Map<String, String> props = new HashMap<>();
    if (tls != null) {
      if (tls.caCertificate() != null) {
        props.put("ssl.truststore.type", "PEM");
        props.put(
            "ssl.truststore.certificates",
            secrets.read(namespace, tls.caCertificate(), field + ".tls.caCertificate"));
      }
      if (tls.clientCertificate() != null || tls.clientKey() != null) {
        if (tls.clientCertificate() == null || tls.clientKey() == null) {
          throw SpecProblem.invalid(
              field + ".tls", "clientCertificate and clientKey must be set together");
        }
        props.put("ssl.keystore.type", "PEM");
        props.put(
            "ssl.keystore.certificate.chain",
            secrets.read(namespace, tls.clientCertificate(), field + ".tls.clientCertificate"));
        props.put(
            "ssl.keystore.key", secrets.read(namespace, tls.clientKey(), field + ".tls.clientKey"));
      }
    }
    if (sasl != null) {
      String username =
          sasl.usernameSecretRef() != null
              ? secrets.read(namespace, sasl.usernameSecretRef(), field + ".sasl.usernameSecretRef")
              : sasl.username();
      if (username == null) {
        throw SpecProblem.invalid(field + ".sasl", "username or usernameSecretRef is required");
      }
      String password =
          secrets.read(namespace, sasl.passwordSecretRef(), field + ".sasl.passwordSecretRef");
      props.put("sasl.mechanism", sasl.mechanism().kafkaName());
      props.put(
          "sasl.jaas.config", SaslJaas.config(sasl.mechanism().kafkaName(), username, password));
    }
    if (tls != null || sasl != null) {
      props.put(
          "security.protocol",
          tls != null ? (sasl != null ? "SASL_SSL" : "SSL") : "SASL_PLAINTEXT");
    }
    return new KafkaConnection(bootstrapServers, props);
  }
}
