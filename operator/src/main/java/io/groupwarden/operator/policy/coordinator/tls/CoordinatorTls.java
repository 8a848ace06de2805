package io.groupwarden.operator.policy.coordinator.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The generated TLS material of one managed coordinator.
 *
 * @param signing the CA that signs new broker certificates
 * @param trusted PEM certificates of every CA clients must trust, newest first: the signing CA and
 *     an older one that still signs the broker's certificate or has not expired
 * @param broker the broker's certificate and key
 */
public record CoordinatorTls(
    CertificateAuthority signing, List<String> trusted, BrokerCertificate broker) {

  public CoordinatorTls {
    trusted = List.copyOf(trusted);
  }

  /** The CA certificates as one PEM text: what {@code ca.crt} holds. */
  public String trustedPem() {
    return trusted.stream().map(String::strip).collect(Collectors.joining("\n", "", "\n"));
  }

  /** Whether a trusted CA signed the broker's certificate. */
  public boolean brokerTrusted() {
    return trusted.stream()
        .map(Pem::certificate)
        .anyMatch((X509Certificate ca) -> broker.signedBy(ca));
  }

  @Override
  public String toString() {
    return "CoordinatorTls[" + signing + ", trusted=" + trusted.size() + ", " + broker + "]";
  }
}
