package io.groupwarden.operator.policy.coordinator.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A CA the operator created, as PEM text.
 *
 * @param certificatePem its certificate
 * @param privateKeyPem its PKCS#8 key, which never leaves the CA key Secret
 */
public record CertificateAuthority(String certificatePem, String privateKeyPem) {
  public X509Certificate certificate() {
    return Pem.certificate(certificatePem);
  }

  public PrivateKey privateKey() {
    return Pem.ecPrivateKey(privateKeyPem);
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate().getSubjectX500Principal() + "]";
  }
}
