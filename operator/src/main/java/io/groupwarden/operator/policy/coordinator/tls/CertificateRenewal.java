package io.groupwarden.operator.policy.coordinator.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * When the generated CA and broker certificate are created and replaced, as a function of what
 * exists and the time:
 *
 * <ul>
 *   <li>A CA lives five times the certificate validity and is replaced when less than twice {@code
 *       renewBefore} remains. From then on clients are given the old and the new CA.
 *   <li>The broker certificate is replaced when less than {@code renewBefore} remains, when it no
 *       longer names the broker's DNS names, or when no trusted CA signed it; the replacement is
 *       signed by the newest CA and never outlives it.
 * </ul>
 *
 * A broker certificate never outlives the CA that signed it, so after a CA is replaced the broker
 * keeps the old CA's certificate for at least {@code renewBefore} more: the time clients have to
 * pick up the new CA before the broker presents a certificate signed by it. An old CA is dropped
 * once it has expired.
 *
 * @param validity how long a broker certificate is valid
 * @param renewBefore how long before its end a certificate is replaced
 */
public record CertificateRenewal(Duration validity, Duration renewBefore) {
  private static final int CA_LIFETIMES = 5;

  public CertificateRenewal {
    if (renewBefore.multipliedBy(2).compareTo(validity) >= 0) {
      throw new IllegalArgumentException(
          "renewBefore ("
              + renewBefore
              + ") must be less than half of validity ("
              + validity
              + ")");
    }
  }

  /**
   * The material to have at {@code now}: {@code current} itself when nothing is due.
   *
   * @param name what the CA is called (its subject names the policy)
   * @param dnsNames the names the broker certificate must carry, the first its subject
   */
  public CoordinatorTls next(
      Optional<CoordinatorTls> current,
      String name,
      List<String> dnsNames,
      Instant now,
      CertificateIssuer issuer) {
    CertificateAuthority signing = current.map(CoordinatorTls::signing).orElse(null);
    if (signing == null || remaining(signing.notAfter(), now).compareTo(caRenewBefore()) < 0) {
      signing = issuer.newAuthority(name, now, now.plus(validity.multipliedBy(CA_LIFETIMES)));
    }
    List<String> older = new ArrayList<>();
    for (String pem : current.map(CoordinatorTls::trusted).orElse(List.of())) {
      if (!pem.strip().equals(signing.certificatePem().strip())) {
        older.add(pem);
      }
    }
    List<String> candidates = new ArrayList<>();
    candidates.add(signing.certificatePem());
    candidates.addAll(older);
    BrokerCertificate broker = current.map(CoordinatorTls::broker).orElse(null);
    if (broker == null
        || remaining(broker.notAfter(), now).compareTo(renewBefore) < 0
        || !broker.dnsNames().equals(new HashSet<>(dnsNames))
        || !new CoordinatorTls(signing, candidates, broker).brokerTrusted()) {
      Instant until = now.plus(validity);
      if (until.isAfter(signing.notAfter())) {
        until = signing.notAfter();
      }
      broker = issuer.issue(signing, dnsNames, now, until);
    }
    List<String> trusted = new ArrayList<>();
    trusted.add(signing.certificatePem());
    for (String pem : older) {
      if (Pem.certificate(pem).getNotAfter().toInstant().isAfter(now)
          || broker.signedBy(Pem.certificate(pem))) {
        trusted.add(pem);
      }
    }
    CoordinatorTls next = new CoordinatorTls(signing, trusted, broker);
    return current.filter(next::equals).orElse(next);
  }

  private Duration caRenewBefore() {
    return renewBefore.multipliedBy(2);
  }

  private static Duration remaining(Instant notAfter, Instant now) {
    return Duration.between(now, notAfter);
  }
}
