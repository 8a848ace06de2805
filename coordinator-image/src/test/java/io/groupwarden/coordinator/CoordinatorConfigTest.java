package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorConfigTest {
  @Test
  void flagsWinOverEnvironmentVariablesWhichWinOverDefaults() {
    CoordinatorConfig config =
        CoordinatorConfig.parse(
            new String[] {"--port", "19092", "--data-dir=/var/lib/coordinator"},
            Map.of(
                "COORDINATOR_PORT", "29092",
                "COORDINATOR_HTTP_PORT", "18080",
                "COORDINATOR_OFFSETS_RETENTION", "2d",
                "COORDINATOR_AUTO_CREATE_TOPICS", "false"));
    assertThat(config.port()).isEqualTo(19092);
    assertThat(config.httpPort()).isEqualTo(18080);
    assertThat(config.dataDir().toString()).isEqualTo("/var/lib/coordinator");
    assertThat(config.offsetsRetention()).isEqualTo(Duration.ofDays(2));
    assertThat(config.autoCreateTopics()).isFalse();
    assertThat(config.advertisedPort()).isEqualTo(19092);
  }

  @Test
  void defaultsMatchKafkasForGroups() {
    CoordinatorConfig config = CoordinatorConfig.defaults();
    assertThat(config.port()).isEqualTo(9092);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.groupMinSessionTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.groupMaxSessionTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.groupInitialRebalanceDelay()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.offsetsRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.autoCreateTopics()).isTrue();
    assertThat(config.defaultPartitions()).isEqualTo(1);
  }

  @Test
  void badValuesNameTheFlagAndTheVariable() {
    assertThatThrownBy(() -> CoordinatorConfig.parse(new String[] {"--port", "eighty"}, Map.of()))
        .hasMessageContaining("--port")
        .hasMessageContaining("COORDINATOR_PORT");
    assertThatThrownBy(
            () -> CoordinatorConfig.parse(new String[] {"--no-such-flag", "1"}, Map.of()))
        .hasMessageContaining("unknown flag --no-such-flag");
    assertThatThrownBy(
            () ->
                CoordinatorConfig.parse(
                    new String[0], Map.of("COORDINATOR_OFFSETS_RETENTION", "soon")))
        .hasMessageContaining("COORDINATOR_OFFSETS_RETENTION");
  }

  @Test
  void everyOptionIsDocumentedInTheReadme() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    for (CoordinatorConfig.Option option : CoordinatorConfig.OPTIONS) {
      assertThat(readme).contains(option.flag()).contains(option.envVar());
    }
  }
}
