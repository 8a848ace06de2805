package io.groupwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchAllNamespacesWithLeaderElectionOn() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());

    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.apiToken()).isNull();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "GROUPWARDEN_WATCH_NAMESPACES", "team-a, team-b",
                "GROUPWARDEN_HTTP_PORT", "9090",
                "GROUPWARDEN_API_TOKEN", "abc",
                "GROUPWARDEN_LEADER_ELECTION", "false",
                "POD_NAMESPACE", "groupwarden-system",
                "POD_NAME", "groupwarden-0",
                "GROUPWARDEN_KAFKA_TIMEOUT", "1500ms"));

    assertThat(config.watchNamespaces()).containsExactly("team-a", "team-b");
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.apiToken()).isEqualTo("abc");
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaseNamespace()).isEqualTo("groupwarden-system");
    assertThat(config.identity()).isEqualTo("groupwarden-0");
    assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void theHistoryIsKeptInATopicUnlessToldNone() {
    OperatorConfig defaults = OperatorConfig.fromEnvironment(Map.of());
    assertThat(defaults.historyTopic()).isEqualTo("groupwarden-history");
    assertThat(defaults.historySnapshotEvery()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.standbyRefresh()).isEqualTo(Duration.ofSeconds(10));

    OperatorConfig set =
        OperatorConfig.fromEnvironment(
            Map.of(
                "GROUPWARDEN_HISTORY_TOPIC", "ops.history",
                "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY", "30s",
                "GROUPWARDEN_STANDBY_REFRESH", "2s"));
    assertThat(set.historyTopic()).isEqualTo("ops.history");
    assertThat(set.historySnapshotEvery()).isEqualTo(Duration.ofSeconds(30));
    assertThat(set.standbyRefresh()).isEqualTo(Duration.ofSeconds(2));
    assertThat(
            OperatorConfig.fromEnvironment(Map.of("GROUPWARDEN_HISTORY_TOPIC", "none"))
                .historyTopic())
        .isNull();
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(
                    Map.of("GROUPWARDEN_HISTORY_TOPIC", "history with spaces")))
        .hasMessageContaining("GROUPWARDEN_HISTORY_TOPIC");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(
                    Map.of("GROUPWARDEN_HISTORY_SNAPSHOT_EVERY", "often")))
        .hasMessageContaining("GROUPWARDEN_HISTORY_SNAPSHOT_EVERY");
  }

  @Test
  void theTokenNeverAppearsInItsTextForm() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(Map.of("GROUPWARDEN_API_TOKEN", "super-secret-token"));

    assertThat(config.toString()).doesNotContain("super-secret-token").contains("apiToken=set");
  }

  @Test
  void aBadValueNamesTheVariable() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("GROUPWARDEN_HTTP_PORT", "http")))
        .hasMessageContaining("GROUPWARDEN_HTTP_PORT");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("GROUPWARDEN_LEADER_ELECTION", "maybe")))
        .hasMessageContaining("GROUPWARDEN_LEADER_ELECTION");
  }

  @Test
  void theStartupTimeoutAndTheHttpAddressAreRead() {
    OperatorConfig defaults = OperatorConfig.fromEnvironment(Map.of());
    OperatorConfig set =
        OperatorConfig.fromEnvironment(
            Map.of("GROUPWARDEN_STARTUP_TIMEOUT", "2m", "GROUPWARDEN_HTTP_HOST", "127.0.0.1"));

    assertThat(defaults.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.httpHost()).isEqualTo("0.0.0.0");
    assertThat(set.startupTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(set.httpHost()).isEqualTo("127.0.0.1");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("GROUPWARDEN_STARTUP_TIMEOUT", "0s")))
        .hasMessageContaining("GROUPWARDEN_STARTUP_TIMEOUT");
  }
}
