package io.groupwarden.sink.config;

import java.util.Optional;

/**
 * How the worker authenticates to Kafka and trusts its brokers. Everything but the protocol is
 * optional; {@link SinkConfigParser} checks that the pieces fit together.
 *
 * @param protocol Kafka's {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param saslMechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 when the protocol is SASL_*
 */
public record KafkaSecurity(
    String protocol,
    Optional<String> saslMechanism,
    Optional<String> saslUsername,
    Optional<Secret> saslPassword,
    Optional<String> truststoreLocation,
    Optional<String> truststoreType,
    Optional<Secret> truststorePassword) {

  public static KafkaSecurity plaintext() {
    return new KafkaSecurity(
        "PLAINTEXT",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public boolean usesSasl() {
    return protocol.startsWith("SASL_");
  }
}
