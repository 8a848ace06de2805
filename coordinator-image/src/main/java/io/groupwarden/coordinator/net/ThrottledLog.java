package io.groupwarden.coordinator.net;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A log line for events that an attacker can produce at will (rejected connections, failed
 * authentications): at most one line per interval, carrying how many happened since the last line
 * and the latest one's detail, so a flood of them cannot flood the log.
 */
public final class ThrottledLog {
  private final Logger log;
  private final String what;
  private final long intervalMs;
  private final LongSupplier clock;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastLineMs;
  private final AtomicReference<String> latest = new AtomicReference<>();

  public ThrottledLog(Logger log, String what, long intervalMs, LongSupplier clock) {
    this.log = log;
    this.what = what;
    this.intervalMs = intervalMs;
    this.clock = clock;
    this.lastLineMs = new AtomicLong(clock.getAsLong() - intervalMs);
  }

  /** Counts one event; logs when the interval since the last line has passed. */
  public void record(String detail) {
    count.incrementAndGet();
    latest.set(detail);
    long now = clock.getAsLong();
    long last = lastLineMs.get();
    if (now - last >= intervalMs && lastLineMs.compareAndSet(last, now)) {
      long n = count.getAndSet(0);
      log.warn("{} {} in the last {} s (latest: {})", n, what, intervalMs / 1000, latest.get());
    }
  }
}
