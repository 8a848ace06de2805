package io.groupwarden.coordinator.group;

/**
 * Timeouts of a shard (sessions, rebalances, the initial delay), keyed so that scheduling a key
 * again replaces the pending task. Tasks run on the shard thread and may produce records.
 */
public interface GroupTimer {
  @FunctionalInterface
  interface Task {
    CoordinatorResult<Void> run();
  }

  void schedule(String key, long delayMs, Task task);

  void cancel(String key);
}
