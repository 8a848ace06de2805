package io.groupwarden.coordinator.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A clock and timer that only move when the test says so. Advancing runs the due tasks in deadline
 * order and collects the records they produce.
 */
final class ManualTimer implements GroupTimer, LongSupplier {
  private record Scheduled(long due, long sequence, Task task) {}

  private final Map<String, Scheduled> tasks = new HashMap<>();
  private long now;
  private long sequence;
  private final List<CoordinatorResult<Void>> fired = new ArrayList<>();

  ManualTimer() {
    this(1_000_000);
  }

  ManualTimer(long now) {
    this.now = now;
  }

  @Override
  public long getAsLong() {
    return now;
  }

  @Override
  public void schedule(String key, long delayMs, Task task) {
    tasks.put(key, new Scheduled(now + delayMs, sequence++, task));
  }

  @Override
  public void cancel(String key) {
    tasks.remove(key);
  }

  boolean isScheduled(String key) {
    return tasks.containsKey(key);
  }

  /** Moves time forward, firing every task that falls due; returns what they produced. */
  List<CoordinatorResult<Void>> advance(long ms) {
    long target = now + ms;
    List<CoordinatorResult<Void>> results = new ArrayList<>();
    while (true) {
      Map.Entry<String, Scheduled> next = null;
      for (Map.Entry<String, Scheduled> entry : tasks.entrySet()) {
        Scheduled s = entry.getValue();
        if (s.due() <= target
            && (next == null
                || s.due() < next.getValue().due()
                || (s.due() == next.getValue().due()
                    && s.sequence() < next.getValue().sequence()))) {
          next = entry;
        }
      }
      if (next == null) {
        break;
      }
      tasks.remove(next.getKey());
      now = Math.max(now, next.getValue().due());
      CoordinatorResult<Void> result = next.getValue().task().run();
      results.add(result);
      fired.add(result);
    }
    now = target;
    return results;
  }
}
