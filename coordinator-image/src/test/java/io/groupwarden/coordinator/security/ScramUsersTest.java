package io.groupwarden.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.coordinator.support.RunningCoordinator;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.KafkaTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM users managed at run time on a SASL_SSL-only broker: changes made with the Admin client
 * survive a restart, and Kafka's own {@code kafka-configs} (ConfigCommand, as a child process) adds
 * a user who can then connect.
 */
class ScramUsersTest {
  static final String ADMIN_PASSWORD = "admin-secret-44d1";
  static final String ALICE_PASSWORD = "alice-secret-0c7e";

  @TempDir Path dir;
  BrokerTls tls;
  Map<String, String> settings;

  RunningCoordinator start() throws Exception {
    if (tls == null) {
      tls = BrokerTls.issue(dir.resolve("tls"), "users-ca");
      Path users = dir.resolve("users");
      Files.writeString(users, "admin:" + ADMIN_PASSWORD + "\nalice:" + ALICE_PASSWORD + "\n");
      settings = tls.brokerSettings();
      settings.put("listeners", "SASL_SSL://127.0.0.1:0");
      settings.put("sasl-users", users.toString());
      settings.put("super-users", "admin");
    }
    return RunningCoordinator.start(dir.resolve("data"), settings);
  }

  static String bootstrap(RunningCoordinator broker) {
    return "127.0.0.1:" + broker.coordinator().port("SASL_SSL");
  }

  Map<String, Object> login(String mechanism, String user, String password) {
    return tls.saslClient(mechanism, user, password);
  }

  void assertConnects(RunningCoordinator broker, Map<String, Object> props) throws Exception {
    try (Admin admin = SecureListenersTest.admin(bootstrap(broker), props)) {
      assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
    }
  }

  void assertRefused(RunningCoordinator broker, Map<String, Object> props) {
    SecureListenersTest.assertFailsFast(
        bootstrap(broker), props, SaslAuthenticationException.class);
  }

  static UserScramCredentialUpsertion upsert(
      String user, ScramMechanism mechanism, String password) {
    return new UserScramCredentialUpsertion(
        user, new ScramCredentialInfo(mechanism, 4096), password);
  }

  static void alter(Admin admin, UserScramCredentialAlteration alteration) throws Exception {
    admin.alterUserScramCredentials(List.of(alteration)).all().get(30, TimeUnit.SECONDS);
  }

  @Test
  void usersAddedChangedAndDeletedAtRunTimeSurviveARestart() throws Exception {
    try (RunningCoordinator broker = start();
        Admin admin =
            SecureListenersTest.admin(
                bootstrap(broker), login("SCRAM-SHA-512", "admin", ADMIN_PASSWORD))) {
      // Kafka accepts one change per user in a request, so each step is a request of its own.
      alter(admin, upsert("carol", ScramMechanism.SCRAM_SHA_512, "carol-first"));
      alter(admin, upsert("carol", ScramMechanism.SCRAM_SHA_256, "carol-first"));
      alter(admin, upsert("erin", ScramMechanism.SCRAM_SHA_512, "erin-pass"));
      assertConnects(broker, login("SCRAM-SHA-256", "carol", "carol-first"));
      assertConnects(broker, login("SCRAM-SHA-512", "erin", "erin-pass"));

      alter(admin, upsert("carol", ScramMechanism.SCRAM_SHA_512, "carol-second"));
      alter(admin, new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_256));
      alter(admin, new UserScramCredentialDeletion("erin", ScramMechanism.SCRAM_SHA_512));
    }

    try (RunningCoordinator restarted = start()) {
      assertConnects(restarted, login("SCRAM-SHA-512", "carol", "carol-second"));
      assertRefused(restarted, login("SCRAM-SHA-512", "carol", "carol-first"));
      assertRefused(restarted, login("SCRAM-SHA-256", "carol", "carol-first"));
      assertRefused(restarted, login("SCRAM-SHA-512", "erin", "erin-pass"));
      assertConnects(restarted, login("SCRAM-SHA-512", "alice", ALICE_PASSWORD));
      try (Admin admin =
          SecureListenersTest.admin(
              bootstrap(restarted), login("SCRAM-SHA-512", "admin", ADMIN_PASSWORD))) {
        assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS))
            .containsOnlyKeys("admin", "alice", "carol")
            .hasEntrySatisfying(
                "carol",
                description ->
                    assertThat(description.credentialInfos())
                        .extracting(ScramCredentialInfo::mechanism)
                        .containsExactly(ScramMechanism.SCRAM_SHA_512));
      }
    }
  }

  @Test
  void kafkaConfigsAddsAUserWhoCanThenConnect() throws Exception {
    try (RunningCoordinator broker = start()) {
      Path commandConfig = dir.resolve("admin.properties");
      StringBuilder text = new StringBuilder();
      login("SCRAM-SHA-512", "admin", ADMIN_PASSWORD)
          .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Files.writeString(commandConfig, text.toString());

      ChildProcesses.Result added =
          alterUser(
              broker,
              commandConfig,
              "--add-config",
              "SCRAM-SHA-512=[iterations=8192,password=dave-secret]");
      assertThat(added.exitCode()).as(added.output()).isZero();
      assertThat(added.output()).contains("dave");

      assertConnects(broker, login("SCRAM-SHA-512", "dave", "dave-secret"));
      assertRefused(broker, login("SCRAM-SHA-512", "dave", "not-dave-secret"));

      ChildProcesses.Result deleted =
          alterUser(broker, commandConfig, "--delete-config", "SCRAM-SHA-512");
      assertThat(deleted.exitCode()).as(deleted.output()).isZero();
      assertRefused(broker, login("SCRAM-SHA-512", "dave", "dave-secret"));
    }
  }

  /** Kafka's ConfigCommand (kafka-configs) changing user dave's SCRAM credentials. */
  private static ChildProcesses.Result alterUser(
      RunningCoordinator broker, Path commandConfig, String change, String config)
      throws Exception {
    return KafkaTools.run(
        Duration.ofSeconds(90),
        "org.apache.kafka.tools.ConfigCommand",
        "--bootstrap-server",
        bootstrap(broker),
        "--command-config",
        commandConfig.toString(),
        "--alter",
        change,
        config,
        "--entity-type",
        "users",
        "--entity-name",
        "dave");
  }
}
