package io.groupwarden.operator.benchmark;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the in-process benchmarks (governance cycle, history snapshots, Redis cycle) measure of
 * their own JVM, and the nearest-rank percentiles they report, so that they all count alike.
 */
public final class SelfMeasures {
  private SelfMeasures() {}

  /** CPU time the whole process has used, its collector threads included. */
  public static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean unix) {
      long nanos = unix.getProcessCpuTime();
      if (nanos >= 0) {
        return nanos;
      }
    }
    throw new IllegalStateException("the JVM does not report the process's CPU time");
  }

  /**
   * Used heap after full collections: the least of five readings, since a collection can leave
   * garbage that the next one frees.
   */
  public static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** The nearest-rank percentile ({@code q} in 0..1) of a non-empty set of values. */
  public static long percentile(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Median, 90th percentile and maximum of durations in nanoseconds, in milliseconds. */
  public static String summary(long[] nanos) {
    return String.format(
        Locale.ROOT,
        "median %.1f ms, p90 %.1f ms, max %.1f ms",
        percentile(nanos, 0.5) / 1e6,
        percentile(nanos, 0.9) / 1e6,
        percentile(nanos, 1.0) / 1e6);
  }
}
