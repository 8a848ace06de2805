package io.groupwarden.coordinator.group;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The production timer: a shared scheduler keeps the deadlines, and a task that falls due runs on
 * its shard's own thread (where it is checked against the latest schedule for its key).
 */
final class ExecutorTimer implements GroupTimer {
  private final ScheduledExecutorService scheduler;
  private final Executor shard;
  private final Consumer<Task> runner;
  private final Map<String, Entry> pending = new HashMap<>();

  private final class Entry implements Runnable {
    final String key;
    final Task task;
    ScheduledFuture<?> future;

    Entry(String key, Task task) {
      this.key = key;
      this.task = task;
    }

    @Override
    public void run() {
      if (pending.get(key) != this) {
        return;
      }
      pending.remove(key);
      runner.accept(task);
    }
  }

  /** {@code runner} runs a fired task and persists what it returns. */
  ExecutorTimer(ScheduledExecutorService scheduler, Executor shard, Consumer<Task> runner) {
    this.scheduler = scheduler;
    this.shard = shard;
    this.runner = runner;
  }

  @Override
  public void schedule(String key, long delayMs, Task task) {
    cancel(key);
    Entry entry = new Entry(key, task);
    pending.put(key, entry);
    entry.future =
        scheduler.schedule(() -> shard.execute(entry), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
  }

  @Override
  public void cancel(String key) {
    Entry entry = pending.remove(key);
    if (entry != null && entry.future != null) {
      entry.future.cancel(false);
    }
  }
}
