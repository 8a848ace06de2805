package io.groupwarden.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts problems a client can cause by the thousand (refused connections, requests refused while
 * busy, clients that went away mid-answer) and reports them as one line per interval with the
 * counts, so an attack cannot flood the log. The owner calls {@link #report} on a timer.
 */
public final class CountedWarnings {
  private final String subject;
  private final Consumer<String> sink;
  private final Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();

  /**
   * @param subject what the line is about, e.g. "coordinator HTTP"
   * @param sink where a report line goes, e.g. a logger's warn
   */
  public CountedWarnings(String subject, Consumer<String> sink) {
    this.subject = subject;
    this.sink = sink;
  }

  /** One more occurrence of {@code what}, e.g. "connections refused (limit 1024)". */
  public void count(String what) {
    counts.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /**
   * Writes one line with everything counted since the last report, when anything was, and starts
   * counting afresh.
   *
   * @param interval the length of the period the line covers, as it should read
   * @return the line written, or null when there was nothing to report
   */
  public String report(String interval) {
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (what, count) -> {
          long n = count.sumThenReset();
          if (n > 0) {
            parts.add(n + " " + what);
          }
        });
    if (parts.isEmpty()) {
      return null;
    }
    String line = subject + " in the last " + interval + ": " + String.join(", ", parts);
    sink.accept(line);
    return line;
  }
}
