package io.groupwarden.operator.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One gauge series value: a metric name, its labels and the current value.
 *
 * @param name the Prometheus metric name, e.g. {@code groupwarden_group_lag}
 * @param help the help text of the metric
 * @param labels label names and values
 * @param value the current value
 */
public record GaugeSample(String name, String help, Map<String, String> labels, double value) {
  public GaugeSample {
    labels = Map.copyOf(new TreeMap<>(labels));
  }
}
