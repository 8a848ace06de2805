package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void durationsAreWrittenAsInTheResources() {
    assertThat(DurationText.of(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(DurationText.of(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(DurationText.of(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(DurationText.of(Duration.ofMillis(299_600))).isEqualTo("5m");
    assertThat(DurationText.of(Duration.ZERO)).isEqualTo("0s");
  }
}
