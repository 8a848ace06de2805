package io.groupwarden.coordinator.net.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the broker's TLS material is: a PEM certificate chain, its PEM (PKCS#8) private key, and
 * optionally the PEM CA certificates client certificates are checked against.
 */
public record TlsSettings(
    Path certificate,
    Path privateKey,
    Path trustedCa,
    ClientAuth clientAuth,
    Duration reloadCheck) {

  /** Whether clients present certificates (Kafka's {@code ssl.client.auth}). */
  public enum ClientAuth {
    NONE,
    REQUESTED,
    REQUIRED
  }
}
