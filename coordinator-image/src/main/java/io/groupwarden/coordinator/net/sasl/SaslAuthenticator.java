package io.groupwarden.coordinator.net.sasl;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Makes the SASL servers of the enabled mechanisms: kafka-clients' own {@link PlainSaslServer} and
 * SCRAM server (through {@link ScramServer}), answered from the broker's {@link UserCredentials}.
 *
 * @param mechanisms the enabled mechanisms, as clients name them ({@code SCRAM-SHA-512})
 * @param sessionLifetime how long an authentication holds before the client must re-authenticate
 *     (KIP-368, Kafka's {@code connections.max.reauth.ms}); zero: for the connection's life
 * @param failureDelay how long a failed authentication waits before its connection closes (Kafka's
 *     {@code connection.failed.authentication.delay.ms}), which slows a guessing client down
 */
public record SaslAuthenticator(
    UserCredentials users,
    List<String> mechanisms,
    Duration sessionLifetime,
    Duration failureDelay) {

  public static final String PLAIN = PlainSaslServer.PLAIN_MECHANISM;

  /** The mechanisms this broker can offer at all. */
  public static final List<String> SUPPORTED =
      List.of(
          ScramMechanism.SCRAM_SHA_512.mechanismName(),
          ScramMechanism.SCRAM_SHA_256.mechanismName(),
          PLAIN);

  public boolean enabled(String mechanism) {
    return mechanisms.contains(mechanism);
  }

  /** A server for one authentication exchange of {@code mechanism}, which must be enabled. */
  public SaslServer newServer(String mechanism) {
    if (mechanism.equals(PLAIN)) {
      return new PlainSaslServer(
          UserCallbacks.handler(
              PlainAuthenticateCallback.class,
              (user, plain) ->
                  plain.authenticated(user != null && users.verify(user, plain.password()))));
    }
    try {
      return new ScramServer(ScramMechanism.forMechanismName(mechanism), users::get);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
