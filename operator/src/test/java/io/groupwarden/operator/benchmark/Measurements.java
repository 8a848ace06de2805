package io.groupwarden.operator.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one steady window, and percentiles; formatting for the report. */
final class Measurements {
  private Measurements() {}

  /** What a process and the broker did during a window of {@code cycles} evaluation intervals. */
  record Window(
      String label,
      Duration length,
      double cycles,
      Duration cpu,
      Duration brokerCpu,
      Map<String, Long> requests,
      long statusWrites,
      long heapAfterGc) {

    long requestsTotal() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    String describe() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "%s: window %.1f s = %.1f cycles%n"
                  + "  CPU per cycle: %.1f ms (process), broker %.1f ms%n"
                  + "  Kafka requests per cycle: %.1f%n"
                  + "  status writes per cycle: %.1f%n"
                  + "  heap after GC: %.1f MB%n",
              label,
              length.toMillis() / 1e3,
              cycles,
              cpu.toNanos() / 1e6 / cycles,
              brokerCpu.toNanos() / 1e6 / cycles,
              requestsTotal() / cycles,
              statusWrites / cycles,
              heapAfterGc / 1e6));
      requests.forEach(
          (api, count) ->
              out.append(
                  String.format(Locale.ROOT, "    %-28s %10.1f per cycle%n", api, count / cycles)));
      return out.toString();
    }
  }

  /** {@code after - before - idle} per API, dropping what is not above the idle rate. */
  static Map<String, Long> requestsBetween(
      Map<String, Long> before,
      Map<String, Long> after,
      Map<String, Double> idlePerSecond,
      Duration length) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach(
        (api, count) -> {
          double idle = idlePerSecond.getOrDefault(api, 0.0) * length.toMillis() / 1e3;
          long value = Math.round(count - before.getOrDefault(api, 0L) - idle);
          if (value > 0) {
            delta.put(api, value);
          }
        });
    return delta;
  }

  /** Nearest-rank percentile of a list of values (q in 0..1); NaN for an empty list. */
  static double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String distribution(String label, List<Double> millis) {
    return String.format(
        Locale.ROOT,
        "%s: n=%d p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms",
        label,
        millis.size(),
        percentile(millis, 0.5),
        percentile(millis, 0.9),
        percentile(millis, 0.99),
        percentile(millis, 1.0));
  }
}
