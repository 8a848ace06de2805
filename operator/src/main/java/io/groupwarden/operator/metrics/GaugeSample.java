package io.groupwarden.operator.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One series value: a metric name, its labels and the current value. Most series are gauges; a
 * counter's value is a running total that only grows, published whole each time.
 *
 * @param name the Prometheus metric name, e.g. {@code groupwarden_group_lag}
 * @param help the help text of the metric
 * @param labels label names and values
 * @param value the current value
 * @param kind gauge or counter
 */
public record GaugeSample(
    String name, String help, Map<String, String> labels, double value, Kind kind) {

  /** How Prometheus is to read the series. */
  public enum Kind {
    GAUGE,
    COUNTER
  }

  public GaugeSample {
    labels = Map.copyOf(new TreeMap<>(labels));
  }

  /** A gauge. */
  public GaugeSample(String name, String help, Map<String, String> labels, double value) {
    this(name, help, labels, value, Kind.GAUGE);
  }

  /** A counter whose running total is {@code total}. */
  public static GaugeSample counter(
      String name, String help, Map<String, String> labels, double total) {
    return new GaugeSample(name, help, labels, total, Kind.COUNTER);
  }
}
