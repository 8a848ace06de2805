package io.groupwarden.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KubeDurationTest {

  @Test
  void readsEveryUnitAndCombinationsOfThem() {
    assertThat(KubeDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(KubeDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(KubeDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(KubeDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(KubeDuration.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(KubeDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(KubeDuration.parse("1d12h")).isEqualTo(Duration.ofHours(36));
    assertThat(KubeDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(KubeDuration.parse("0.5h")).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void refusesWhatTheSchemaRefuses() {
    for (String bad : new String[] {"", "10", "-1s", "1 s", "1w", "s", "1.s", "1h 30m", " 5m"}) {
      assertThatThrownBy(() -> KubeDuration.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a duration");
    }
    assertThatThrownBy(() -> KubeDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesADurationTooLongToRepresent() {
    assertThatThrownBy(() -> KubeDuration.parse("999999999999999999d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void formatsLargestUnitsFirst() {
    assertThat(KubeDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(KubeDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(KubeDuration.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(KubeDuration.format(Duration.ofHours(36))).isEqualTo("1d12h");
    assertThat(KubeDuration.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThatThrownBy(() -> KubeDuration.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void formattedTextParsesBackToTheSameDuration(
      @ForAll @LongRange(min = 0, max = 10L * 365 * 24 * 3600 * 1000) long millis) {
    Duration duration = Duration.ofMillis(millis);
    String text = KubeDuration.format(duration);
    assertThat(text).matches(KubeDuration.PATTERN);
    assertThat(KubeDuration.parse(text)).isEqualTo(duration);
  }
}
