package io.groupwarden.sink.write;

import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the offsets of stored messages are committed. Routine commits are asynchronous with one in
 * flight, so the loop goes on writing while a commit travels: after {@code commitEvery} resolved
 * messages, when the stream is idle, and at least every {@code interval}. Commits that must land
 * before partitions change hands (revocation, shutdown) are synchronous. A failed commit leaves the
 * offsets uncommitted; the next one carries them.
 *
 * <p>Called on the consumer's thread only; the asynchronous callbacks run there too, inside a later
 * poll or commit.
 */
public final class CommitScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(CommitScheduler.class);

  private final Consumer<?, ?> consumer;
  private final int commitEvery;
  private final Duration interval;
  private final SinkMetrics metrics;
  private final Clock clock;
  private final Runnable onCommitted;
  private final OffsetTracker offsets = new OffsetTracker();
  private Instant lastCommit;
  private boolean asyncInFlight;

  /**
   * @param onCommitted told of every commit the broker accepted (proof that Kafka answers)
   */
  public CommitScheduler(
      Consumer<?, ?> consumer,
      int commitEvery,
      Duration interval,
      SinkMetrics metrics,
      Clock clock,
      Runnable onCommitted) {
    this.consumer = consumer;
    this.commitEvery = commitEvery;
    this.interval = interval;
    this.metrics = metrics;
    this.clock = clock;
    this.onCommitted = onCommitted;
    this.lastCommit = clock.instant();
  }

  /** The message at {@code offset} is stored or dead-lettered. */
  public void resolved(TopicPartition partition, long offset) {
    offsets.resolved(partition, offset);
  }

  /** True while an asynchronous commit has not come back. */
  public boolean asyncInFlight() {
    return asyncInFlight;
  }

  /** The offsets that would be committed now. */
  public Map<TopicPartition, Long> uncommitted() {
    return offsets.uncommitted();
  }

  /**
   * Sends an asynchronous commit of everything resolved when one is due and none is in flight.
   *
   * @param idle nothing is read, waiting or being written: commit what there is now
   */
  public void commitIfDue(boolean idle) {
    if (!offsets.hasUncommitted() || asyncInFlight) {
      return;
    }
    if (idle
        || offsets.resolvedSinceCommit() >= commitEvery
        || Duration.between(lastCommit, clock.instant()).compareTo(interval) >= 0) {
      commitAsync(offsets.uncommitted());
    }
  }

  /** Commits everything resolved, synchronously (shutdown). */
  public void commitAll() {
    commitSync(offsets.uncommitted());
  }

  /**
   * Commits what is resolved on partitions that are about to be revoked, synchronously, then
   * forgets them.
   */
  public void commitAndForget(Collection<TopicPartition> partitions) {
    commitSync(offsets.uncommitted(partitions));
    offsets.forget(partitions);
  }

  /** Forgets partitions taken away without a chance to commit (lost). */
  public void forget(Collection<TopicPartition> partitions) {
    offsets.forget(partitions);
  }

  private void commitAsync(Map<TopicPartition, Long> next) {
    long start = System.nanoTime();
    asyncInFlight = true;
    offsets.commitSent();
    consumer.commitAsync(
        toCommit(next),
        (committed, error) -> {
          asyncInFlight = false;
          metrics.commit(Duration.ofNanos(System.nanoTime() - start));
          if (error == null) {
            offsets.committed(next);
            lastCommit = clock.instant();
            onCommitted.run();
          } else {
            metrics.error("commit_failed");
            LOG.warn("offset commit failed, will retry: {}", error.toString());
          }
        });
  }

  private void commitSync(Map<TopicPartition, Long> next) {
    if (next.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    try {
      consumer.commitSync(toCommit(next));
      offsets.committed(next);
      lastCommit = clock.instant();
      onCommitted.run();
    } catch (InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      // A rebalance took the partitions, or the broker is away: the offsets stay uncommitted and
      // are committed later, or re-read by the partitions' new owner.
      metrics.error("commit_failed");
      LOG.warn("offset commit failed, will retry: {}", e.toString());
    } finally {
      metrics.commit(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> toCommit(Map<TopicPartition, Long> next) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    next.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
    return commits;
  }
}
