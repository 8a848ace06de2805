package io.groupwarden.coordinator.net;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on bytes held by requests being read or handled over all connections ({@code
 * queued.max.request.bytes}). A connection whose next frame does not fit stops reading until
 * another frame's bytes are released: back-pressure instead of an out-of-memory error. A single
 * frame larger than the whole bound is still admitted when nothing else is held, so one allowed
 * request can always make progress.
 */
public final class RequestMemory {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final EdgeMetrics metrics;

  public RequestMemory(long capacity, EdgeMetrics metrics) {
    this.capacity = capacity;
    this.metrics = metrics;
  }

  public long used() {
    return used.get();
  }

  /** Reserves {@code bytes}, or returns false and calls {@code retry} once some are released. */
  boolean tryReserve(int bytes, Channel channel, Runnable retry) {
    while (true) {
      long now = used.get();
      if (now > 0 && now + bytes > capacity) {
        metrics.limitHit("queued.max.request.bytes");
        waiting.add(() -> channel.eventLoop().execute(retry));
        // released in between: try again rather than wait for a release that already happened
        if (used.get() < now) {
          wakeAll();
        }
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(int bytes) {
    if (bytes > 0) {
      used.addAndGet(-bytes);
      wakeAll();
    }
  }

  private void wakeAll() {
    Runnable next;
    while ((next = waiting.poll()) != null) {
      next.run();
    }
  }
}
