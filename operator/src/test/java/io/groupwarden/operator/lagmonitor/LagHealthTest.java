package io.groupwarden.operator.lagmonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import org.junit.jupiter.api.Test;

class LagHealthTest {
  private final LagHealth defaults = LagHealth.DEFAULTS;

  @Test
  void boundariesOfTheDefaultThresholds() {
    assertThat(defaults.of(0L)).isEqualTo(Health.healthy);
    assertThat(defaults.of(100L)).isEqualTo(Health.healthy);
    assertThat(defaults.of(101L)).isEqualTo(Health.degraded);
    assertThat(defaults.of(1000L)).isEqualTo(Health.degraded);
    assertThat(defaults.of(1001L)).isEqualTo(Health.unhealthy);
  }

  @Test
  void unreachableIsUnhealthyAndUnknownIsDegraded() {
    assertThat(defaults.of(-1L)).isEqualTo(Health.unhealthy);
    assertThat(defaults.of(null)).isEqualTo(Health.degraded);
  }

  @Test
  void customThresholdsAndTheirValidation() {
    LagHealth tight = new LagHealth(5, 10);
    assertThat(tight.of(6L)).isEqualTo(Health.degraded);
    assertThat(tight.of(11L)).isEqualTo(Health.unhealthy);
    assertThatThrownBy(() -> new LagHealth(10, 10)).hasMessageContaining("degraded < unhealthy");
  }

  @Test
  void worstPicksTheWorse() {
    assertThat(LagHealth.worst(Health.healthy, Health.degraded)).isEqualTo(Health.degraded);
    assertThat(LagHealth.worst(Health.unhealthy, Health.degraded)).isEqualTo(Health.unhealthy);
  }
}
