package io.groupwarden.operator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauge and counter series owned by a resource. Each evaluation publishes the complete set of
 * series of its owner: new ones are registered, existing ones updated, and the ones that are gone
 * (a group or partition that disappeared) are removed. Removing the owner removes all its series,
 * so a deleted resource leaves no stale series behind.
 */
public final class OwnedGauges {
  private final MeterRegistry registry;
  private final Map<String, Map<SeriesKey, Series>> byOwner = new HashMap<>();

  public OwnedGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Replaces the series of {@code owner} with {@code samples}. */
  public synchronized void publish(String owner, List<GaugeSample> samples) {
    Map<SeriesKey, Series> previous = byOwner.getOrDefault(owner, Map.of());
    Map<SeriesKey, Series> current = new HashMap<>();
    for (GaugeSample sample : samples) {
      SeriesKey key = new SeriesKey(sample.name(), sample.labels());
      Series series = current.get(key);
      if (series == null) {
        series = previous.get(key);
      }
      if (series == null) {
        series = register(sample);
      }
      series.set(sample.value());
      current.put(key, series);
    }
    for (Map.Entry<SeriesKey, Series> entry : previous.entrySet()) {
      if (!current.containsKey(entry.getKey())) {
        registry.remove(entry.getValue().meter);
      }
    }
    if (current.isEmpty()) {
      byOwner.remove(owner);
    } else {
      byOwner.put(owner, current);
    }
  }

  /** Removes every series of {@code owner}. */
  public void remove(String owner) {
    publish(owner, List.of());
  }

  /** The number of series {@code owner} has. */
  public synchronized int seriesOf(String owner) {
    return byOwner.getOrDefault(owner, Map.of()).size();
  }

  private Series register(GaugeSample sample) {
    Series series = new Series();
    series.meter =
        switch (sample.kind()) {
          case GAUGE ->
              Gauge.builder(sample.name(), series, Series::get)
                  .description(sample.help())
                  .tags(tags(sample))
                  .strongReference(true)
                  .register(registry);
          case COUNTER ->
              // Prometheus names a counter with a _total suffix, which Micrometer adds; the counter
              // reads the series weakly, and this class holds every series it publishes
              FunctionCounter.builder(counterName(sample.name()), series, Series::get)
                  .description(sample.help())
                  .tags(tags(sample))
                  .register(registry);
        };
    return series;
  }

  private static String counterName(String name) {
    return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
  }

  private static List<Tag> tags(GaugeSample sample) {
    List<Tag> tags = new ArrayList<>();
    sample.labels().forEach((k, v) -> tags.add(Tag.of(k, v)));
    return tags;
  }

  private record SeriesKey(String name, Map<String, String> labels) {}

  /** A gauge's value, held strongly so the gauge never reads a collected object. */
  private static final class Series {
    private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private Meter meter;

    void set(double value) {
      bits.set(Double.doubleToLongBits(value));
    }

    double get() {
      return Double.longBitsToDouble(bits.get());
    }
  }
}
