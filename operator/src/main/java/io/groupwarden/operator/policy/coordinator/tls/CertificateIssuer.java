package io.groupwarden.operator.policy.coordinator.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.BiFunction;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the managed coordinator's CA and broker certificates with BouncyCastle: EC P-256 keys,
 * ECDSA with SHA-256, the broker's DNS names as subject alternative names. The JDK's providers do
 * the cryptography; BouncyCastle only builds the certificates.
 */
public final class CertificateIssuer {
  private static final String SIGNATURE = "SHA256withECDSA";

  private final SecureRandom random;

  public CertificateIssuer(SecureRandom random) {
    this.random = random;
  }

  public CertificateIssuer() {
    this(new SecureRandom());
  }

  /**
   * A new self-signed CA valid from {@code from} to {@code until}. Each CA gets its own subject, so
   * that an old and a new CA trusted side by side are never confused.
   */
  public CertificateAuthority newAuthority(String name, Instant from, Instant until) {
    try {
      KeyPair keys = keyPair();
      BigInteger serial = serial();
      X500Name subject = new X500Name("CN=" + name + " CA " + serial.toString(16).substring(0, 8));
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject, serial, Date.from(from), Date.from(until), subject, keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return signed(builder, keys, keys.getPrivate(), CertificateAuthority::new);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /** A server certificate for {@code dnsNames} signed by {@code ca}. */
  public BrokerCertificate issue(
      CertificateAuthority ca, List<String> dnsNames, Instant from, Instant until) {
    try {
      KeyPair keys = keyPair();
      X509Certificate caCertificate = ca.certificate();
      GeneralName[] names =
          dnsNames.stream()
              .map(n -> new GeneralName(GeneralName.dNSName, n))
              .toArray(GeneralName[]::new);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  caCertificate,
                  serial(),
                  Date.from(from),
                  Date.from(until),
                  new X500Name("CN=" + dnsNames.get(0)),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
      return signed(builder, keys, ca.privateKey(), BrokerCertificate::new);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the broker certificate", e);
    }
  }

  private KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private BigInteger serial() {
    // positive, 127 bits: unique without a counter
    return new BigInteger(127, random).setBit(120);
  }

  /**
   * Completes a certificate for {@code keys} with its subject key identifier, signs it with {@code
   * signer} and hands the certificate and the private key of {@code keys} on as PEM.
   */
  private static <T> T signed(
      X509v3CertificateBuilder builder,
      KeyPair keys,
      PrivateKey signer,
      BiFunction<String, String, T> certificateAndKey)
      throws GeneralSecurityException, CertIOException {
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate certificate;
    try {
      certificate =
          new JcaX509CertificateConverter()
              .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
    return certificateAndKey.apply(Pem.write(certificate), Pem.write(keys.getPrivate()));
  }
}
