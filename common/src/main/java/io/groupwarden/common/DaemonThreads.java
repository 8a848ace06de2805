package io.groupwarden.common;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for the broker's and the operator's background executors: named so a thread
 * dump says what each one does, daemons so a stuck task cannot keep a stopping process alive.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads all called {@code name}. */
  public static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A factory of daemon threads called {@code prefix-1}, {@code prefix-2} and so on. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> named(prefix + "-" + count.incrementAndGet()).newThread(runnable);
  }

  /** An executor running its tasks one after another on one daemon thread. */
  public static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(named(name));
  }

  /**
   * Stops an executor that owns {@code resource}: the work already queued runs (for five seconds at
   * most), and only then is {@code resource} (null: none) closed, so that no task finds it closed.
   * Interrupted while waiting, it leaves {@code resource} open and keeps the interrupt.
   */
  public static void stopThenClose(ExecutorService executor, Closeable resource)
      throws IOException {
    if (stop(executor) && resource != null) {
      resource.close();
    }
  }

  /** A scheduler running its tasks on one daemon thread. */
  public static ScheduledExecutorService scheduled(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  /**
   * Lets the executor finish the tasks it was given, waiting up to five seconds for them; false
   * when the wait was interrupted (the thread's interrupt flag is set again).
   */
  public static boolean stop(ExecutorService executor) {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
