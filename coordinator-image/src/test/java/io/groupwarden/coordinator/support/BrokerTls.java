package io.groupwarden.coordinator.support;

import io.groupwarden.common.SaslJaas;
import io.groupwarden.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test CA and the certificate it issued to the broker under test, with the broker settings that
 * serve that certificate and the Kafka client settings that trust the CA.
 */
public record BrokerTls(TestCertificates ca, TestCertificates.Issued server) {

  /**
   * A new CA named {@code caName} and a certificate it issues to the broker (for 127.0.0.1 and
   * localhost), both written to {@code dir}.
   */
  public static BrokerTls issue(Path dir, String caName) {
    TestCertificates ca = TestCertificates.newCa(dir, caName);
    return new BrokerTls(ca, ca.issue(dir, "broker"));
  }

  /** The broker's {@code tls-cert} and {@code tls-key} settings, in a map the caller may extend. */
  public Map<String, String> brokerSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("tls-cert", server.certificate().toString());
    settings.put("tls-key", server.privateKey().toString());
    return settings;
  }

  /** The same as command-line flags: {@code --tls-cert <file> --tls-key <file>}. */
  public List<String> brokerFlags() {
    return List.of(
        "--tls-cert", server.certificate().toString(), "--tls-key", server.privateKey().toString());
  }

  /**
   * Kafka client settings for the SSL protocol, trusting the CA, in a map the caller may extend.
   */
  public Map<String, Object> sslClient() {
    Map<String, Object> props = new HashMap<>();
    props.put("security.protocol", "SSL");
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", ca.caFile().toString());
    return props;
  }

  /**
   * Kafka client settings for SASL_SSL, trusting the CA and logging in as {@code user} with {@code
   * mechanism} (PLAIN or a SCRAM one), in a map the caller may extend.
   */
  public Map<String, Object> saslClient(String mechanism, String user, String password) {
    Map<String, Object> props = sslClient();
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", mechanism);
    props.put("sasl.jaas.config", SaslJaas.config(mechanism, user, password));
    return props;
  }
}
