package io.groupwarden.operator.policy.coordinator.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The broker's certificate and key, as PEM text.
 *
 * @param certificatePem the certificate
 * @param privateKeyPem its PKCS#8 key
 */
public record BrokerCertificate(String certificatePem, String privateKeyPem) {
  public X509Certificate certificate() {
    return Pem.certificate(certificatePem);
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /** The DNS names the certificate is valid for. */
  public Set<String> dnsNames() {
    Set<String> names = new TreeSet<>();
    try {
      Collection<List<?>> alternatives = certificate().getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> name : alternatives) {
          if (Integer.valueOf(2).equals(name.get(0))) {
            names.add((String) name.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return names;
  }

  /** Whether {@code ca} signed this certificate. */
  public boolean signedBy(X509Certificate ca) {
    X509Certificate own = certificate();
    if (!own.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      own.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "BrokerCertificate[" + dnsNames() + "]";
  }
}
