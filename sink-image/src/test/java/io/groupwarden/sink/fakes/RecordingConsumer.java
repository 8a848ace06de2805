package io.groupwarden.sink.fakes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * kafka-clients' MockConsumer that keeps every commit it was asked for (MockConsumer itself answers
 * 0 for partitions no longer assigned), can hold asynchronous commits until the test completes
 * them, and can play a broker that does not answer.
 */
public final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
  /** One commit request: sent synchronously or not, and its offsets. */
  public record Commit(boolean sync, Map<TopicPartition, Long> offsets) {}

  private final List<Commit> commits = new ArrayList<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final List<Runnable> heldCallbacks = new ArrayList<>();
  private boolean holdAsync;
  private volatile boolean unreachable;
  private int offsetLookups;

  public RecordingConsumer() {
    super("earliest");
  }

  /** Asynchronous commits wait for {@link #completeAsync} instead of completing at once. */
  public synchronized void holdAsyncCommits() {
    holdAsync = true;
  }

  /** Completes the held asynchronous commits: the broker took them. */
  public synchronized void completeAsync() {
    List<Runnable> callbacks = List.copyOf(heldCallbacks);
    heldCallbacks.clear();
    callbacks.forEach(Runnable::run);
  }

  /** From now on the broker does not answer: commits and offset look-ups time out. */
  public void unreachable(boolean value) {
    unreachable = value;
  }

  @Override
  public synchronized void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    Map<TopicPartition, Long> plain = plain(offsets);
    commits.add(new Commit(false, plain));
    if (unreachable) {
      callback.onComplete(offsets, new TimeoutException("the broker does not answer"));
      return;
    }
    Runnable complete =
        () -> {
          committed.putAll(plain);
          callback.onComplete(offsets, null);
        };
    if (holdAsync) {
      heldCallbacks.add(complete);
    } else {
      complete.run();
    }
  }

  @Override
  public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, Long> plain = plain(offsets);
    commits.add(new Commit(true, plain));
    if (unreachable) {
      throw new TimeoutException("the broker does not answer");
    }
    committed.putAll(plain);
  }

  @Override
  public synchronized Map<TopicPartition, OffsetAndMetadata> committed(
      Set<TopicPartition> partitions, Duration timeout) {
    offsetLookups++;
    if (unreachable) {
      throw new TimeoutException("the broker does not answer");
    }
    Map<TopicPartition, OffsetAndMetadata> answer = new HashMap<>();
    partitions.forEach(
        p -> {
          Long offset = committed.get(p);
          answer.put(p, offset == null ? null : new OffsetAndMetadata(offset));
        });
    return answer;
  }

  /** How often the committed offsets were asked for. */
  public synchronized int offsetLookups() {
    return offsetLookups;
  }

  /** Every commit request, in order. */
  public synchronized List<Commit> commits() {
    return List.copyOf(commits);
  }

  /** The offsets the broker took, per partition. */
  public synchronized Map<TopicPartition, Long> committedOffsets() {
    return Map.copyOf(committed);
  }

  private static Map<TopicPartition, Long> plain(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, Long> plain = new HashMap<>();
    offsets.forEach((p, o) -> plain.put(p, o.offset()));
    return plain;
  }
}
