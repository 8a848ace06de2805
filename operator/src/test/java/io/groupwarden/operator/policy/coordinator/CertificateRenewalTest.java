package io.groupwarden.operator.policy.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.operator.policy.coordinator.tls.CertificateIssuer;
import io.groupwarden.operator.policy.coordinator.tls.CertificateRenewal;
import io.groupwarden.operator.policy.coordinator.tls.CoordinatorTls;
import io.groupwarden.operator.policy.coordinator.tls.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The generated certificates over their lifetime, with the time given: the default validity of a
 * year and renewal 30 days ahead; the CA lives five years and is replaced 60 days ahead.
 */
class CertificateRenewalTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final List<String> NAMES =
      List.of("orders-coordinator.shop.svc", "orders-coordinator-0.h.shop.svc");
  private final CertificateRenewal renewal =
      new CertificateRenewal(Duration.ofDays(365), Duration.ofDays(30));
  private final CertificateIssuer issuer = new CertificateIssuer();

  private CoordinatorTls at(Optional<CoordinatorTls> current, Instant now) {
    return renewal.next(current, "groupwarden shop/orders", NAMES, now, issuer);
  }

  @Test
  void firstACaAndABrokerCertificateItSignsForTheBrokersNames() throws Exception {
    CoordinatorTls tls = at(Optional.empty(), T0);

    X509Certificate broker = tls.broker().certificate();
    broker.verify(tls.signing().certificate().getPublicKey());
    broker.checkValidity(java.util.Date.from(T0.plus(Duration.ofDays(364))));
    assertThat(tls.broker().notAfter()).isEqualTo(T0.plus(Duration.ofDays(365)));
    assertThat(tls.signing().notAfter()).isEqualTo(T0.plus(Duration.ofDays(5 * 365)));
    assertThat(tls.broker().dnsNames()).containsExactlyInAnyOrderElementsOf(NAMES);
    assertThat(tls.trusted()).hasSize(1);
    assertThat(tls.signing().certificate().getBasicConstraints()).isZero();
    assertThat(broker.getBasicConstraints()).isEqualTo(-1);
    assertThat(tls.broker().privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.ecPrivateKey(tls.broker().privateKeyPem()).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void nothingChangesUntilTheCertificateIsWithinRenewBeforeOfItsEnd() {
    CoordinatorTls first = at(Optional.empty(), T0);

    assertThat(at(Optional.of(first), T0.plus(Duration.ofDays(334)))).isSameAs(first);

    CoordinatorTls renewed = at(Optional.of(first), T0.plus(Duration.ofDays(336)));
    assertThat(renewed.broker()).isNotEqualTo(first.broker());
    assertThat(renewed.signing()).isEqualTo(first.signing());
    assertThat(renewed.trusted()).isEqualTo(first.trusted());
    assertThat(renewed.broker().notAfter()).isEqualTo(T0.plus(Duration.ofDays(336 + 365)));
  }

  @Test
  void aNewCaIsTrustedBeforeTheBrokerPresentsACertificateItSigned() {
    Instant now = T0;
    CoordinatorTls tls = at(Optional.empty(), now);
    // yearly renewals until the CA has less than 60 days left
    while (Duration.between(now.plus(Duration.ofDays(1)), tls.signing().notAfter())
            .compareTo(Duration.ofDays(60))
        >= 0) {
      now = now.plus(Duration.ofDays(1));
      tls = at(Optional.of(tls), now);
    }
    String firstCa = tls.signing().certificatePem();
    now = now.plus(Duration.ofDays(1));
    CoordinatorTls rolled = at(Optional.of(tls), now);

    assertThat(rolled.signing().certificatePem()).isNotEqualTo(firstCa);
    assertThat(rolled.trusted()).containsExactly(rolled.signing().certificatePem(), firstCa);
    assertThat(rolled.broker()).as("still signed by the old CA").isEqualTo(tls.broker());
    assertThat(rolled.brokerTrusted()).isTrue();

    // the broker certificate ends with the old CA, so it is replaced 30 days before that, by
    // which time clients have had the new CA for at least 29 days
    CoordinatorTls later = rolled;
    Instant day = now;
    while (later.broker().equals(rolled.broker())) {
      day = day.plus(Duration.ofDays(1));
      later = at(Optional.of(later), day);
    }
    assertThat(Duration.between(now, day).toDays()).isGreaterThanOrEqualTo(29);
    assertThat(later.broker().signedBy(later.signing().certificate())).isTrue();
    assertThat(later.trusted()).contains(firstCa);

    // the old CA is dropped once it has expired
    Instant afterOldCaEnd = Pem.certificate(firstCa).getNotAfter().toInstant().plusSeconds(1);
    CoordinatorTls cleaned = at(Optional.of(later), afterOldCaEnd);
    assertThat(cleaned.trusted()).containsExactly(later.signing().certificatePem());
    assertThat(cleaned.broker()).isEqualTo(later.broker());
  }

  @Test
  void aCertificateForOtherNamesOrFromAnUntrustedCaIsReplaced() {
    CoordinatorTls first = at(Optional.empty(), T0);
    CoordinatorTls otherNames =
        renewal.next(Optional.of(first), "x", List.of("elsewhere.svc"), T0, issuer);
    assertThat(otherNames.broker().dnsNames()).containsExactly("elsewhere.svc");
    assertThat(otherNames.signing()).isEqualTo(first.signing());

    CoordinatorTls foreign = at(Optional.empty(), T0);
    CoordinatorTls mixed = new CoordinatorTls(first.signing(), first.trusted(), foreign.broker());
    CoordinatorTls repaired = at(Optional.of(mixed), T0);
    assertThat(repaired.broker()).isNotEqualTo(foreign.broker());
    assertThat(repaired.brokerTrusted()).isTrue();
  }

  @Test
  void renewBeforeMustLeaveTimeToUseACertificate() {
    assertThatThrownBy(() -> new CertificateRenewal(Duration.ofDays(10), Duration.ofDays(5)))
        .hasMessageContaining("less than half of validity");
  }
}
