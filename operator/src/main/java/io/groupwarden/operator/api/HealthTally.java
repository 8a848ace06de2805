package io.groupwarden.operator.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many of a cluster's groups or a monitor's sources are at each health, and the worst among
 * them. Every health appears in the counts, 0 when none is at it, so a dashboard can draw each.
 *
 * @param <H> the health enum, from best to worst
 */
final class HealthTally<H extends Enum<H>> {
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private H worst;

  HealthTally(Class<H> type) {
    H[] healths = type.getEnumConstants();
    for (H health : healths) {
      counts.put(health.name(), 0);
    }
    worst = healths[0];
  }

  void add(H health) {
    counts.merge(health.name(), 1, Integer::sum);
    if (health.ordinal() > worst.ordinal()) {
      worst = health;
    }
  }

  /** Counts by health name, best first. */
  Map<String, Integer> counts() {
    return counts;
  }

  /** The worst health added, or the best there is when none was. */
  H worst() {
    return worst;
  }
}
