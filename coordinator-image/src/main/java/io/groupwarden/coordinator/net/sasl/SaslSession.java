package io.groupwarden.coordinator.net.sasl;

import java.util.function.LongSupplier;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

/**
 * The SASL state of one connection: handshake, the exchange of tokens, then authenticated until the
 * session's lifetime ends, when only a re-authentication (KIP-368) may follow. Used on the
 * connection's event loop only.
 */
public final class SaslSession {
  /**
   * What one SASL request produced: the response, whether the connection must now close, and
   * whether it completed a re-authentication of a connection that had authenticated before.
   */
  public record Step<T>(T response, boolean fail, boolean reauthenticated) {
    Step(T response, boolean fail) {
      this(response, fail, false);
    }
  }

  private enum State {
    HANDSHAKE,
    AUTHENTICATING,
    AUTHENTICATED
  }

  /** Handshakes a connection may start within one second before it is closed. */
  static final int MAX_HANDSHAKES_PER_SECOND = 5;

  private final SaslAuthenticator authenticator;
  private final LongSupplier clock;
  private State state = State.HANDSHAKE;
  private SaslServer server;
  private String mechanism;
  private String principal;
  private boolean everAuthenticated;
  private long expiresAtMs = Long.MAX_VALUE;
  private long windowStartMs;
  private int handshakesInWindow;

  public SaslSession(SaslAuthenticator authenticator, LongSupplier clock) {
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /** True when other requests may be served: authenticated and the session not expired. */
  public boolean authenticated() {
    return everAuthenticated && clock.getAsLong() < expiresAtMs;
  }

  /** The authenticated user, or null. */
  public String principal() {
    return principal;
  }

  /** The mechanism in use or last used, for metrics; {@code unknown} before the handshake. */
  public String mechanism() {
    return mechanism == null ? "unknown" : mechanism;
  }

  public Step<SaslHandshakeResponse> handshake(SaslHandshakeRequest request) {
    SaslHandshakeResponseData data =
        new SaslHandshakeResponseData().setMechanisms(authenticator.mechanisms());
    long now = clock.getAsLong();
    if (now - windowStartMs >= 1000) {
      windowStartMs = now;
      handshakesInWindow = 0;
    }
    if (++handshakesInWindow > MAX_HANDSHAKES_PER_SECOND
        || state == State.AUTHENTICATING
        || (state == State.AUTHENTICATED && !everAuthenticated)) {
      return new Step<>(
          new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())), true);
    }
    String requested = request.data().mechanism();
    if (!authenticator.enabled(requested)) {
      mechanism = "unsupported";
      return new Step<>(
          new SaslHandshakeResponse(data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())),
          true);
    }
    if (everAuthenticated && !requested.equals(mechanism)) {
      // Kafka refuses a re-authentication with another mechanism as well.
      return new Step<>(
          new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())), true);
    }
    mechanism = requested;
    server = authenticator.newServer(requested);
    state = State.AUTHENTICATING;
    return new Step<>(new SaslHandshakeResponse(data.setErrorCode(Errors.NONE.code())), false);
  }

  public Step<SaslAuthenticateResponse> authenticate(SaslAuthenticateRequest request) {
    SaslAuthenticateResponseData data = new SaslAuthenticateResponseData();
    if (state != State.AUTHENTICATING) {
      return failed(data, Errors.ILLEGAL_SASL_STATE, "SaslAuthenticate before SaslHandshake");
    }
    byte[] challenge;
    try {
      challenge = server.evaluateResponse(request.data().authBytes());
    } catch (SaslAuthenticationException e) {
      // kafka-clients' servers word these for clients ("Authentication failed: ...").
      return failed(data, Errors.SASL_AUTHENTICATION_FAILED, e.getMessage());
    } catch (SaslException | RuntimeException e) {
      return failed(data, Errors.SASL_AUTHENTICATION_FAILED, "Authentication failed");
    }
    data.setAuthBytes(challenge == null ? new byte[0] : challenge);
    if (!server.isComplete()) {
      return new Step<>(new SaslAuthenticateResponse(data), false);
    }
    String user = server.getAuthorizationID();
    dispose();
    if (everAuthenticated && !user.equals(principal)) {
      return failed(
          data, Errors.SASL_AUTHENTICATION_FAILED, "a re-authentication may not change the user");
    }
    boolean again = everAuthenticated;
    principal = user;
    everAuthenticated = true;
    state = State.AUTHENTICATED;
    long lifetime = authenticator.sessionLifetime().toMillis();
    if (lifetime > 0) {
      expiresAtMs = clock.getAsLong() + lifetime;
      data.setSessionLifetimeMs(lifetime);
    }
    return new Step<>(new SaslAuthenticateResponse(data), false, again);
  }

  private Step<SaslAuthenticateResponse> failed(
      SaslAuthenticateResponseData data, Errors error, String message) {
    dispose();
    everAuthenticated = false;
    state = State.HANDSHAKE;
    return new Step<>(
        new SaslAuthenticateResponse(
            data.setErrorCode(error.code()).setErrorMessage(message).setAuthBytes(new byte[0])),
        true);
  }

  private void dispose() {
    if (server != null) {
      try {
        server.dispose();
      } catch (SaslException ignored) {
        // nothing left to release
      }
      server = null;
    }
  }
}
