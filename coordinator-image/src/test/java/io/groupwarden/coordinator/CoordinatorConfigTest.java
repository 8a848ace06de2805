package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.config.CommandLineSupport;
import io.groupwarden.coordinator.config.ConfigException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class CoordinatorConfigTest {
  /** Every option that reads an environment variable, as picocli sees them. */
  private static List<OptionSpec> options() {
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec option :
        new CommandLine(CoordinatorConfig.defaults()).getCommandSpec().options()) {
      if (!option.usageHelp()) {
        options.add(option);
      }
    }
    return options;
  }

  @TempDir static Path files;

  private static String file(String name, String content) throws Exception {
    Path file = files.resolve(name);
    Files.writeString(file, content);
    return file.toString();
  }

  /** Samples of the options whose type alone does not say which values are valid. */
  private static Map<String, List<String>> specialSamples() throws Exception {
    return Map.of(
        "--listeners", List.of("PLAINTEXT://127.0.0.1:9093", "SASL_PLAINTEXT://127.0.0.1:9094"),
        "--advertised-listeners", List.of("PLAINTEXT://a.example:1", "PLAINTEXT://b.example:2"),
        "--tls-client-auth", List.of("requested", "required"),
        "--sasl-mechanisms", List.of("PLAIN", "SCRAM-SHA-256,PLAIN"),
        "--sasl-users", List.of(file("users-a", "a:b\n"), file("users-b", "c:d\n")),
        "--http-token-file", List.of(file("token-a", "t1"), file("token-b", "t2")),
        "--http-tls", List.of("true", "false"),
        // must stay below the consumer session timeout (45s by default)
        "--group-consumer-heartbeat-interval", List.of("3s", "7s"),
        "--group-consumer-assignors", List.of("range", "range,uniform"),
        "--transaction-version", List.of("0", "1"));
  }

  /** Two distinct valid values of an option's type; neither is its default. */
  private static List<String> samples(OptionSpec option) throws Exception {
    Class<?> type = option.type();
    List<String> special = specialSamples().get(option.longestName());
    if (special != null) {
      return special;
    }
    if (type == boolean.class) {
      return List.of("false", "true");
    }
    if (type == Duration.class) {
      if (option.longestName().contains("heartbeat-interval")) {
        // must stay below the consumer session timeout (45s by default)
        return List.of("2s", "3s");
      }
      return option.longestName().contains("min-session")
          ? List.of("2s", "1s")
          : List.of("40m", "1h30m");
    }
    if (type == Path.class) {
      return List.of("/tmp/from-env", "/tmp/from-flag");
    }
    if (type == String.class) {
      return List.of("env.example", "flag.example");
    }
    return List.of("7", "11");
  }

  private static Object valueOf(CoordinatorConfig config, OptionSpec option) throws Exception {
    Field field = (Field) option.userObject();
    field.setAccessible(true);
    Object owner = config;
    if (field.getDeclaringClass() != CoordinatorConfig.class) {
      // an option of a mixin: find the mixin instance on the config
      for (Field mixin : CoordinatorConfig.class.getDeclaredFields()) {
        if (mixin.getType() == field.getDeclaringClass()) {
          mixin.setAccessible(true);
          owner = mixin.get(config);
        }
      }
    }
    return field.get(owner);
  }

  @Test
  void everyOptionReadsItsEnvironmentVariableAndItsFlagWins() throws Exception {
    for (OptionSpec option : options()) {
      String env = CommandLineSupport.envVar(option);
      assertThat(env).as("variable of %s", option.longestName()).startsWith("COORDINATOR_");
      List<String> samples = samples(option);
      Map<String, String> environment = new HashMap<>();
      // --http-tls needs a certificate and key that exist (their contents are read at start-up)
      environment.put("COORDINATOR_TLS_CERT", file("cert.pem", "x"));
      environment.put("COORDINATOR_TLS_KEY", file("key.pem", "x"));
      environment.put(env, samples.get(0));
      CoordinatorConfig fromEnv = CoordinatorConfig.parse(new String[0], environment);
      CoordinatorConfig fromFlag =
          CoordinatorConfig.parse(new String[] {option.longestName(), samples.get(1)}, environment);
      CoordinatorConfig fromDefault = CoordinatorConfig.defaults();
      if (!env.startsWith("COORDINATOR_TLS_")) {
        assertThat(String.valueOf(valueOf(fromEnv, option)))
            .as("%s from %s", option.longestName(), env)
            .isNotEqualTo(String.valueOf(valueOf(fromDefault, option)));
      }
      assertThat(String.valueOf(valueOf(fromFlag, option)))
          .as("%s given as a flag", option.longestName())
          .isNotEqualTo(String.valueOf(valueOf(fromEnv, option)));
    }
  }

  @Test
  void flagsWinOverEnvironmentVariablesWhichWinOverDefaults() {
    CoordinatorConfig config =
        CoordinatorConfig.parse(
            new String[] {"--port", "19092", "--data-dir=/var/lib/coordinator"},
            Map.of(
                "COORDINATOR_PORT", "29092",
                "COORDINATOR_HTTP_PORT", "18080",
                "COORDINATOR_OFFSETS_RETENTION", "1h30m",
                "COORDINATOR_AUTO_CREATE_TOPICS", "false"));
    assertThat(config.port()).isEqualTo(19092);
    assertThat(config.httpPort()).isEqualTo(18080);
    assertThat(config.dataDir().toString()).isEqualTo("/var/lib/coordinator");
    assertThat(config.groups().offsetsRetention()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.autoCreateTopics()).isFalse();
    assertThat(config.advertisedPort()).isEqualTo(19092);
  }

  @Test
  void defaultsMatchKafkasForGroupsAndProducersAndListenOnLoopbackOnly() {
    CoordinatorConfig config = CoordinatorConfig.defaults();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(9092);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.groups().minSessionTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.groups().maxSessionTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.groups().initialRebalanceDelay()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.groups().offsetsRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.producerIdExpiration()).isEqualTo(Duration.ofDays(1));
    assertThat(config.producerIdExpirationCheckInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.autoCreateTopics()).isTrue();
    assertThat(config.defaultPartitions()).isEqualTo(1);
    assertThat(config.groups().shards()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void errorsAreOneLineNamingTheFlagAndWhereTheValueCameFrom() {
    assertError(new String[] {"--port", "eighty"}, Map.of(), "--port", "eighty");
    assertError(new String[] {"--port", "--data-dir", "X"}, Map.of(), "--port", "--data-dir");
    assertError(new String[] {"--port", "70000"}, Map.of(), "--port", "65535");
    assertError(new String[] {"--no-such-flag", "1"}, Map.of(), "--no-such-flag");
    assertError(new String[] {"stray"}, Map.of(), "stray");
    assertError(
        new String[0],
        Map.of("COORDINATOR_OFFSETS_RETENTION", "soon"),
        "--offsets-retention",
        "COORDINATOR_OFFSETS_RETENTION",
        "soon");
    assertError(
        new String[0], Map.of("COORDINATOR_PORT", "-1"), "--port", "COORDINATOR_PORT", "-1");
    assertError(
        new String[] {"--group-min-session-timeout", "1h", "--group-max-session-timeout", "1m"},
        Map.of(),
        "--group-min-session-timeout",
        "--group-max-session-timeout");
  }

  @Test
  void listenersInKafkasSyntaxWithThePortAsShorthand() {
    CoordinatorConfig shorthand =
        CoordinatorConfig.parse(
            new String[] {"--port", "9999", "--advertised-host", "b.example"}, Map.of());
    assertThat(shorthand.listeners()).hasToString("[PLAINTEXT://127.0.0.1:9999]");
    assertThat(shorthand.advertised(shorthand.listeners().get(0)))
        .hasToString("PLAINTEXT://b.example:9999");
    CoordinatorConfig two =
        CoordinatorConfig.parse(
            new String[] {
              "--listeners", "PLAINTEXT://127.0.0.1:9092,SASL_PLAINTEXT://:9093",
              "--advertised-listeners", "SASL_PLAINTEXT://broker.example:19093",
              "--advertised-host", "a.example"
            },
            Map.of());
    assertThat(two.listeners()).hasSize(2);
    assertThat(two.listeners().get(1).bindHost()).isEqualTo("0.0.0.0");
    assertThat(two.advertised(two.listeners().get(1)))
        .hasToString("SASL_PLAINTEXT://broker.example:19093");
    assertThat(two.advertised(two.listeners().get(0)).port()).isZero();
    assertError(new String[] {"--listeners", "HTTP://x:1"}, Map.of(), "--listeners", "HTTP");
    assertError(new String[] {"--listeners", "PLAINTEXT://x"}, Map.of(), "--listeners", "port");
    assertError(new String[] {"--listeners", "PLAINTEXT://x:1,PLAINTEXT://y:2"}, Map.of(), "twice");
    assertError(
        new String[] {"--advertised-listeners", "SSL://x:1"}, Map.of(), "--advertised-listeners");
    assertError(new String[] {"--listeners", "SSL://x:1"}, Map.of(), "--tls-cert");
    assertError(new String[] {"--sasl-mechanisms", "GSSAPI"}, Map.of(), "--sasl-mechanisms");
    assertError(
        new String[0],
        Map.of("COORDINATOR_SASL_USERS", "/no/such/file"),
        "--sasl-users",
        "COORDINATOR_SASL_USERS");
  }

  @Test
  void aBareNumberIsNotADuration() {
    assertError(
        new String[] {"--group-initial-rebalance-delay", "0"},
        Map.of(),
        "--group-initial-rebalance-delay",
        "'0' is not a duration");
    assertThat(
            CoordinatorConfig.parse(
                    new String[] {"--group-initial-rebalance-delay", "0s"}, Map.of())
                .groups()
                .initialRebalanceDelay())
        .isZero();
  }

  @Test
  void errorsFromTheCommandLineDoNotBlameTheEnvironment() {
    assertThatThrownBy(
            () ->
                CoordinatorConfig.parse(
                    new String[] {"--port=bad"}, Map.of("COORDINATOR_PORT", "9093")))
        .hasMessageNotContaining("COORDINATOR_PORT")
        .hasMessageContaining("--port");
  }

  @Test
  void helpListsEveryFlagAndVariable() {
    Map<String, String> env = new HashMap<>();
    String usage = CoordinatorConfig.usage(env);
    for (OptionSpec option : options()) {
      assertThat(usage).contains(option.longestName()).contains(CommandLineSupport.envVar(option));
    }
    assertThat(CoordinatorConfig.parse(new String[] {"--help"}, Map.of()).helpRequested()).isTrue();
  }

  @Test
  void everyOptionIsDocumentedInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (OptionSpec option : options()) {
      assertThat(readme)
          .contains("`" + option.longestName() + "`")
          .contains("`" + CommandLineSupport.envVar(option) + "`");
    }
  }

  private static void assertError(String[] args, Map<String, String> env, String... parts) {
    assertThatThrownBy(() -> CoordinatorConfig.parse(args, env))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(parts));
  }
}
