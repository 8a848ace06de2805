package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompactDurationTest {

  @Test
  void durationsAreWrittenAsInTheResources() {
    assertThat(CompactDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(CompactDuration.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(CompactDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(CompactDuration.format(Duration.ofMillis(299_600))).isEqualTo("5m");
    assertThat(CompactDuration.format(Duration.ZERO)).isEqualTo("0s");
  }
}
