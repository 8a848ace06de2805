package io.groupwarden.operator.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads that do not keep the JVM alive, named so that a thread dump tells what they serve. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads named {@code <prefix>-1}, {@code <prefix>-2}, ... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger threads = new AtomicInteger();
    return task -> daemon(task, prefix + "-" + threads.incrementAndGet());
  }

  /** Daemon threads all named {@code name}, for an executor of one thread. */
  public static ThreadFactory named(String name) {
    return task -> daemon(task, name);
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
