package io.groupwarden.coordinator.net.sasl;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.BiFunction;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;

/**
 * A SCRAM exchange served by kafka-clients' {@link ScramSaslServer}, which also accepts the final
 * message of librdkafka before 2.6.1.
 *
 * <p>Those librdkafka versions (Debian 12's kcat, Ubuntu 24.04's librdkafka 2.3) put their own
 * nonce once more in front of the combined nonce the server sent (librdkafka pull request 4895).
 * Kafka 3.8.1 to 3.9 accepted that by checking that the echoed nonce ends with the server's; Kafka
 * 4 compares exactly and refuses those clients. Here a final message whose nonce is exactly the
 * client nonce followed by the server's combined nonce is verified with the same formulas and
 * kafka-clients' {@link ScramFormatter}: the proof still covers the server's fresh nonce and the
 * whole exchange, so a replayed or forged final message fails as it would with the exact form.
 * Every other final message, the exact form included, is left to {@code ScramSaslServer}.
 */
final class ScramServer implements SaslServer {
  private final ScramMechanism mechanism;
  private final ScramSaslServer server;
  private final ScramFormatter formatter;

  /** The credential the exchange looked up, kept for a legacy final message. */
  private ScramCredential credential;

  private String user;
  private ClientFirstMessage clientFirst;
  private ServerFirstMessage serverFirst;
  private boolean completedHere;
  private boolean failed;

  /**
   * @param lookup the credential of a user for the mechanism; null for an unknown user
   */
  ScramServer(ScramMechanism mechanism, BiFunction<String, ScramMechanism, ScramCredential> lookup)
      throws NoSuchAlgorithmException {
    this.mechanism = mechanism;
    this.formatter = new ScramFormatter(mechanism);
    this.server =
        new ScramSaslServer(
            mechanism,
            Map.of(),
            UserCallbacks.handler(
                ScramCredentialCallback.class,
                (name, credentialCallback) -> {
                  // An unknown user gets null, which the SCRAM server turns into a failure.
                  credential = name == null ? null : lookup.apply(name, mechanism);
                  user = name;
                  credentialCallback.scramCredential(credential);
                }));
  }

  @Override
  public byte[] evaluateResponse(byte[] response) throws SaslException {
    if (failed || completedHere) {
      throw new SaslException("Authentication failed: unexpected SCRAM message");
    }
    try {
      if (serverFirst == null) {
        byte[] challenge = server.evaluateResponse(response);
        clientFirst = new ClientFirstMessage(response);
        serverFirst = new ServerFirstMessage(challenge);
        return challenge;
      }
      ClientFinalMessage clientFinal = new ClientFinalMessage(response);
      if (clientFinal.nonce().equals(clientFirst.nonce() + serverFirst.nonce())) {
        return verifyLegacyFinal(clientFinal);
      }
      return server.evaluateResponse(response);
    } catch (SaslException | RuntimeException e) {
      failed = true;
      credential = null;
      throw e;
    }
  }

  private byte[] verifyLegacyFinal(ClientFinalMessage clientFinal) throws SaslException {
    try {
      byte[] storedKey = credential.storedKey();
      byte[] clientSignature =
          formatter.clientSignature(storedKey, clientFirst, serverFirst, clientFinal);
      byte[] computed = formatter.storedKey(clientSignature, clientFinal.proof());
      if (!MessageDigest.isEqual(computed, storedKey)) {
        throw new SaslException("Invalid client credentials");
      }
      byte[] serverSignature =
          formatter.serverSignature(credential.serverKey(), clientFirst, serverFirst, clientFinal);
      completedHere = true;
      credential = null;
      return new ServerFinalMessage(null, serverSignature).toBytes();
    } catch (InvalidKeyException e) {
      throw new SaslException("Authentication failed: Invalid client final message", e);
    }
  }

  @Override
  public String getMechanismName() {
    return mechanism.mechanismName();
  }

  @Override
  public boolean isComplete() {
    return completedHere || server.isComplete();
  }

  @Override
  public String getAuthorizationID() {
    if (completedHere) {
      return user;
    }
    return server.getAuthorizationID();
  }

  @Override
  public byte[] unwrap(byte[] incoming, int offset, int len) {
    throw new IllegalStateException("SCRAM supports neither integrity nor privacy");
  }

  @Override
  public byte[] wrap(byte[] outgoing, int offset, int len) {
    throw new IllegalStateException("SCRAM supports neither integrity nor privacy");
  }

  @Override
  public Object getNegotiatedProperty(String propName) {
    return completedHere ? null : server.getNegotiatedProperty(propName);
  }

  @Override
  public void dispose() throws SaslException {
    credential = null;
    server.dispose();
  }
}
