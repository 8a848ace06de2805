package io.groupwarden.operator.lag.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.PolicySettingsBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistoryCapacityTest {

  private static PolicySettings windows(
      Duration interval, Duration slo, Duration stuck, Duration rebalance) {
    return PolicySettingsBuilder.defaults()
        .interval(interval)
        .sloWindow(slo)
        .stuckWindow(stuck)
        .rebalanceWindow(rebalance)
        .build();
  }

  @Test
  void theDefaultsKeepTenMinutesOfSamplesAndAnHourOfRebalances() {
    HistoryCapacity capacity = HistoryCapacity.of(PolicySettings.defaults());

    // 10m / 30s = 20 samples, 1 to reach the window's start, 2 for jitter
    assertThat(capacity.samples()).isEqualTo(23);
    // 1h / 30s = 120, 2 for jitter
    assertThat(capacity.rebalances()).isEqualTo(122);
    assertThat(capacity.rebalanceWindow()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void anHourLongStuckWindowKeepsAnHourOfSamples() {
    HistoryCapacity capacity =
        HistoryCapacity.of(
            windows(
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofHours(1),
                Duration.ofHours(1)));

    assertThat(capacity.samples()).isEqualTo(123);
  }

  @Test
  void shortWindowsStillKeepEnoughSamplesToInterpolateLagTime() {
    HistoryCapacity capacity =
        HistoryCapacity.of(
            windows(
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1)));

    assertThat(capacity.samples()).isEqualTo(HistoryCapacity.MIN_INTERPOLATION_SAMPLES + 2);
  }

  @Test
  void aZeroIntervalIsRejectedWithTheReason() {
    assertThatThrownBy(
            () ->
                HistoryCapacity.of(
                    windows(
                        Duration.ZERO,
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(5),
                        Duration.ofHours(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval must be positive");
  }
}
