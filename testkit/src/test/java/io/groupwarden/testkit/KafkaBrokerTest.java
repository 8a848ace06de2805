package io.groupwarden.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void brokerServesStopsAndComesBackOnTheSamePortAndDataWhichGoesWithIt() throws Exception {
    Path data;
    try (KafkaBroker broker = KafkaBroker.builder().build()) {
      data = broker.dataDir();
      broker.start();
      assertThat(FreePort.isListening(broker.port())).isTrue();
      assertThat(Files.exists(broker.dataDir().resolve("logs/meta.properties"))).isTrue();

      broker.kill();
      assertThat(FreePort.isListening(broker.port())).isFalse();

      broker.start();
      assertThat(broker.isRunning()).isTrue();
      assertThat(FreePort.isListening(broker.port())).isTrue();
    }
    assertThat(data).as("the temporary data directory, after close").doesNotExist();
  }
}
