package io.groupwarden.sink.write;

import io.groupwarden.sink.kafka.InboundMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Messages read and mapped but not yet in a batch, in the order they were read. A batch is ready
 * when it is full, when the stream has gone quiet, or when its first message has waited the linger
 * time.
 */
public final class PendingMessages {
  private final int batchSize;
  private final Duration linger;
  private final Clock clock;
  private final List<InboundMessage> messages = new ArrayList<>();
  private Instant since;

  public PendingMessages(int batchSize, Duration linger, Clock clock) {
    this.batchSize = batchSize;
    this.linger = linger;
    this.clock = clock;
  }

  public void add(InboundMessage message) {
    if (messages.isEmpty()) {
      since = clock.instant();
    }
    messages.add(message);
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  public int size() {
    return messages.size();
  }

  /** At least a whole batch is waiting. */
  public boolean full() {
    return messages.size() >= batchSize;
  }

  /**
   * Whether a batch should be written now.
   *
   * @param finishing the worker stops: whatever is here goes
   * @param quiet a poll that waited found nothing: no more is coming soon
   */
  public boolean ready(boolean finishing, boolean quiet) {
    if (messages.isEmpty()) {
      return false;
    }
    return finishing || quiet || full() || lingerLeft().isZero();
  }

  /** How much longer the oldest message may wait for a fuller batch (zero when none is here). */
  public Duration lingerLeft() {
    if (messages.isEmpty()) {
      return Duration.ZERO;
    }
    Duration left = linger.minus(Duration.between(since, clock.instant()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Takes the oldest messages, at most a batch. */
  public List<InboundMessage> takeBatch() {
    int size = Math.min(batchSize, messages.size());
    List<InboundMessage> batch = new ArrayList<>(messages.subList(0, size));
    messages.subList(0, size).clear();
    since = messages.isEmpty() ? null : clock.instant();
    return batch;
  }

  /** Forgets the messages of partitions that are no longer this worker's. */
  public void drop(Set<TopicPartition> gone) {
    messages.removeIf(message -> gone.contains(message.topicPartition()));
    if (messages.isEmpty()) {
      since = null;
    }
  }
}
