package io.groupwarden.operator.lagmonitor;

import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;

/**
 * Classifies a source's lag: healthy up to the degraded threshold, degraded up to the unhealthy
 * threshold, unhealthy above it. An unreachable source (lag -1) is unhealthy; a lag Redis cannot
 * tell is degraded, since nothing shows it is fine.
 */
public record LagHealth(long degraded, long unhealthy) {
  public static final LagHealth DEFAULTS = new LagHealth(100, 1000);

  public LagHealth {
    if (degraded < 0 || unhealthy <= degraded) {
      throw new IllegalArgumentException(
          "thresholds must satisfy 0 <= degraded < unhealthy, got "
              + degraded
              + " and "
              + unhealthy);
    }
  }

  public Health of(Long lag) {
    if (lag == null) {
      return Health.degraded;
    }
    if (lag < 0 || lag > unhealthy) {
      return Health.unhealthy;
    }
    return lag > degraded ? Health.degraded : Health.healthy;
  }

  /** The worse of two healths. */
  public static Health worst(Health a, Health b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
