package io.groupwarden.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.testkit.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka (kcat) over SASL_SSL with SCRAM-SHA-512 against the broker as its own process, whose
 * log is then searched for the password and the private key.
 *
 * <p>Two things made this fail before: librdkafka only starts SASL when ApiVersions advertises
 * SaslHandshake version 0 (it then uses version 1), and librdkafka before 2.6.1, such as Debian
 * 12's, repeats its nonce in the SCRAM final message, which Apache Kafka 4 refuses (see {@code
 * ScramServer}).
 */
class KcatSaslSslTest {
  static final String PASSWORD = "kcat-secret-5e1d";

  @TempDir Path dir;

  @Test
  void kcatProducesAndConsumesOverSaslSslAndNoSecretIsLogged() throws Exception {
    BrokerTls tls = BrokerTls.issue(dir.resolve("tls"), "kcat-ca");
    Path users = dir.resolve("users");
    Files.writeString(users, "kcat:" + PASSWORD + "\n");
    int securePort = FreePort.pick();
    try (ChildBroker broker =
        new ChildBroker(dir.resolve("data"))
            .withArguments(
                List.of(
                    "--listeners",
                    "SASL_SSL://127.0.0.1:" + securePort,
                    "--sasl-users",
                    users.toString()))
            .withArguments(tls.brokerFlags())
            .startOn(securePort)) {
      String bootstrap = "127.0.0.1:" + securePort;
      List<String> security =
          List.of(
              "-X", "security.protocol=SASL_SSL",
              "-X", "sasl.mechanisms=SCRAM-SHA-512",
              "-X", "sasl.username=kcat",
              "-X", "sasl.password=" + PASSWORD,
              "-X", "ssl.ca.location=" + tls.ca().caFile());
      kcat(bootstrap, security, "one\ntwo\nthree\n", "-P", "-t", "kcat-secure");
      String consumed =
          kcat(bootstrap, security, "", "-C", "-t", "kcat-secure", "-o", "beginning", "-e", "-q");
      assertThat(consumed.lines()).containsExactly("one", "two", "three");

      List<String> wrong = new ArrayList<>(security);
      wrong.set(wrong.indexOf("sasl.password=" + PASSWORD), "sasl.password=wrong-one");
      String failed = kcat(bootstrap, wrong, "", "-L", "-m", "5");
      assertThat(failed).containsIgnoringCase("authentication");

      String log = Files.readString(broker.log(), StandardCharsets.UTF_8);
      assertThat(log).doesNotContain(PASSWORD).doesNotContain("wrong-one");
      for (String line : Files.readAllLines(tls.server().privateKey())) {
        if (!line.startsWith("-----")) {
          assertThat(log).doesNotContain(line);
        }
      }
    }
  }

  static String kcat(String bootstrap, List<String> security, String input, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap));
    command.addAll(security);
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kcat", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat finished").isTrue();
    return Files.readString(out);
  }
}
