package io.groupwarden.coordinator.net.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.Test;

/**
 * The SCRAM server accepts kafka-clients' exchange and the final message of librdkafka before 2.6.1
 * (client nonce repeated), and nothing looser: a wrong proof or any other nonce fails.
 */
class ScramServerTest {
  static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
  static final String USER = "alice";
  static final String PASSWORD = "correct horse";

  final ScramCredential stored;

  ScramServerTest() throws Exception {
    stored = new ScramFormatter(MECHANISM).generateCredential(PASSWORD, 4096);
  }

  ScramServer server() throws Exception {
    return new ScramServer(
        MECHANISM,
        (user, mechanism) -> user.equals(USER) && mechanism == MECHANISM ? stored : null);
  }

  @Test
  void kafkaClientsExchangeAuthenticates() throws Exception {
    ScramSaslClient client =
        new ScramSaslClient(
            MECHANISM,
            callbacks -> {
              for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                  name.setName(USER);
                } else if (callback instanceof PasswordCallback password) {
                  password.setPassword(PASSWORD.toCharArray());
                }
              }
            });
    ScramServer server = server();
    byte[] serverFirst = server.evaluateResponse(client.evaluateChallenge(new byte[0]));
    byte[] serverFinal = server.evaluateResponse(client.evaluateChallenge(serverFirst));
    client.evaluateChallenge(serverFinal); // verifies the server's signature
    assertThat(client.isComplete()).isTrue();
    assertThat(server.isComplete()).isTrue();
    assertThat(server.getAuthorizationID()).isEqualTo(USER);
  }

  @Test
  void librdkafkaRepeatedNonceAuthenticatesWithTheRightPassword() throws Exception {
    LegacyClient client = new LegacyClient(PASSWORD);
    ScramServer server = server();
    ServerFirstMessage serverFirst =
        new ServerFirstMessage(server.evaluateResponse(client.first.toBytes()));
    ClientFinalMessage last = client.finalMessage(serverFirst, client.first.nonce());
    assertThat(last.nonce()).isEqualTo(client.first.nonce() + serverFirst.nonce());

    ServerFinalMessage serverFinal =
        new ServerFinalMessage(server.evaluateResponse(last.toBytes()));

    assertThat(server.isComplete()).isTrue();
    assertThat(server.getAuthorizationID()).isEqualTo(USER);
    assertThat(serverFinal.error()).isNull();
    assertThat(serverFinal.serverSignature())
        .isEqualTo(client.expectedServerSignature(serverFirst, last));
  }

  @Test
  void librdkafkaRepeatedNonceWithAWrongPasswordFails() throws Exception {
    ScramServer server = server();
    failWithAWrongPassword(server);
    assertThat(server.isComplete()).isFalse();
  }

  /**
   * A librdkafka-style exchange with a wrong password, up to the refusal of its final message.
   *
   * @return the server's first message of the exchange
   */
  private static ServerFirstMessage failWithAWrongPassword(ScramServer server) throws Exception {
    LegacyClient client = new LegacyClient("wrong");
    ServerFirstMessage serverFirst =
        new ServerFirstMessage(server.evaluateResponse(client.first.toBytes()));
    byte[] last = client.finalMessage(serverFirst, client.first.nonce()).toBytes();
    assertThatThrownBy(() -> server.evaluateResponse(last)).isInstanceOf(SaslException.class);
    return serverFirst;
  }

  @Test
  void anyOtherNonceFailsEvenWithAValidProof() throws Exception {
    List<Function<ClientFirstMessage, String>> prefixes =
        List.of(first -> "x", first -> first.nonce() + "x", first -> first.nonce().substring(1));
    for (Function<ClientFirstMessage, String> prefix : prefixes) {
      LegacyClient client = new LegacyClient(PASSWORD);
      ScramServer server = server();
      ServerFirstMessage serverFirst =
          new ServerFirstMessage(server.evaluateResponse(client.first.toBytes()));
      byte[] last = client.finalMessage(serverFirst, prefix.apply(client.first)).toBytes();

      assertThatThrownBy(() -> server.evaluateResponse(last))
          .isInstanceOf(SaslException.class)
          .hasMessageContaining("nonce");
      assertThat(server.isComplete()).isFalse();
    }
  }

  @Test
  void unknownUserFailsAtTheFirstMessage() throws Exception {
    ClientFirstMessage first = new ClientFirstMessage("mallory", "abcdefgh", Map.of());
    assertThatThrownBy(() -> server().evaluateResponse(first.toBytes()))
        .isInstanceOf(SaslException.class);
  }

  @Test
  void nothingIsAcceptedAfterAFailure() throws Exception {
    ScramServer server = server();
    ServerFirstMessage serverFirst = failWithAWrongPassword(server);

    byte[] retry = new LegacyClient(PASSWORD).finalMessage(serverFirst, "").toBytes();
    assertThatThrownBy(() -> server.evaluateResponse(retry)).isInstanceOf(SaslException.class);
    assertThat(server.isComplete()).isFalse();
  }

  /**
   * A SCRAM client written from RFC 5802 that echoes {@code prefix} followed by the server's
   * combined nonce, as librdkafka before 2.6.1 does with its own nonce as the prefix.
   */
  static final class LegacyClient {
    final ScramFormatter formatter = new ScramFormatter(MECHANISM);
    final String password;
    final ClientFirstMessage first;

    LegacyClient(String password) throws Exception {
      this.password = password;
      this.first = new ClientFirstMessage(USER, formatter.secureRandomString(), Map.of());
    }

    ClientFinalMessage finalMessage(ServerFirstMessage serverFirst, String prefix)
        throws Exception {
      ClientFinalMessage last =
          new ClientFinalMessage(
              "n,,".getBytes(StandardCharsets.UTF_8), prefix + serverFirst.nonce());
      byte[] salted =
          formatter.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
      last.proof(formatter.clientProof(salted, first, serverFirst, last));
      return last;
    }

    byte[] expectedServerSignature(ServerFirstMessage serverFirst, ClientFinalMessage last)
        throws Exception {
      byte[] salted =
          formatter.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
      return formatter.serverSignature(formatter.serverKey(salted), first, serverFirst, last);
    }
  }
}
