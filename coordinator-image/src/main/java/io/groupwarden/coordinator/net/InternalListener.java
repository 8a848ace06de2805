package io.groupwarden.coordinator.net;

import io.groupwarden.common.SaslJaas;
import io.groupwarden.coordinator.net.sasl.SaslAuthenticator;
import io.groupwarden.coordinator.net.sasl.UserCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * How the broker's own Kafka clients (the HTTP consume API) reach it, whatever the configured
 * listeners require: a SASL_PLAINTEXT listener on the loopback interface, at a port the system
 * picks, whose metadata names only itself. It accepts a single SCRAM user made up at start with a
 * random password that lives in this process's memory only: never written, logged or advertised.
 * Other processes on the machine (in Kubernetes: the pod) can connect but cannot authenticate, and
 * its credential is unknown to every other listener.
 */
public final class InternalListener {
  public static final String NAME = "INTERNAL";
  static final String USER = "coordinator-internal";
  private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;

  private final String password;
  private final SaslAuthenticator authenticator;

  /**
   * @param failureDelay how long a failed authentication waits before its connection closes
   */
  public InternalListener(Duration failureDelay) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    // URL-safe Base64 has no quote or backslash that the JAAS line would need to escape.
    password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    UserCredentials users = UserCredentials.inMemory();
    try {
      users.upsert(
          USER,
          MECHANISM,
          new ScramFormatter(MECHANISM).generateCredential(password, UserCredentials.ITERATIONS));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory set writes nothing
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    authenticator =
        new SaslAuthenticator(
            users, List.of(MECHANISM.mechanismName()), Duration.ZERO, failureDelay);
  }

  /** The listener to bind: loopback, any free port. */
  public Listener listener() {
    return new Listener(NAME, SecurityProtocol.SASL_PLAINTEXT, "127.0.0.1", 0);
  }

  public SaslAuthenticator authenticator() {
    return authenticator;
  }

  /** Kafka client settings that reach the listener once it is bound to {@code port}. */
  public Map<String, Object> clientProperties(int port) {
    return Map.of(
        "bootstrap.servers",
        "127.0.0.1:" + port,
        "security.protocol",
        SecurityProtocol.SASL_PLAINTEXT.name,
        "sasl.mechanism",
        MECHANISM.mechanismName(),
        "sasl.jaas.config",
        SaslJaas.config(MECHANISM.mechanismName(), USER, password));
  }

  @Override
  public String toString() {
    // never the password
    return NAME + " listener for the broker's own clients";
  }
}
