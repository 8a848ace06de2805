package io.groupwarden.sink.write;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets that may be committed: per partition, one past the last message that is stored or
 * dead-lettered. Batches are resolved in the order they were read, so these only move forward.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, Long> uncommitted = new HashMap<>();
  private int resolvedSinceCommit;

  /** A message at {@code offset} is stored or dead-lettered. */
  public void resolved(TopicPartition partition, long offset) {
    uncommitted.merge(partition, offset + 1, Math::max);
    resolvedSinceCommit++;
  }

  /** Messages resolved since the last commit was sent. */
  public int resolvedSinceCommit() {
    return resolvedSinceCommit;
  }

  /**
   * A commit of everything resolved so far is on its way: messages resolved from now on count
   * towards the next one.
   */
  public void commitSent() {
    resolvedSinceCommit = 0;
  }

  public boolean hasUncommitted() {
    return !uncommitted.isEmpty();
  }

  /** The next offsets to commit, per partition with progress since the last commit. */
  public Map<TopicPartition, Long> uncommitted() {
    return Map.copyOf(uncommitted);
  }

  /** Those of {@link #uncommitted()} that belong to the given partitions. */
  public Map<TopicPartition, Long> uncommitted(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> some = new HashMap<>();
    for (TopicPartition partition : partitions) {
      Long next = uncommitted.get(partition);
      if (next != null) {
        some.put(partition, next);
      }
    }
    return some;
  }

  /** The given offsets are committed. */
  public void committed(Map<TopicPartition, Long> offsets) {
    offsets.forEach((partition, next) -> uncommitted.remove(partition, next));
    if (uncommitted.isEmpty()) {
      resolvedSinceCommit = 0;
    }
  }

  /** Forgets partitions this worker no longer owns. */
  public void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(uncommitted::remove);
    if (uncommitted.isEmpty()) {
      resolvedSinceCommit = 0;
    }
  }
}
