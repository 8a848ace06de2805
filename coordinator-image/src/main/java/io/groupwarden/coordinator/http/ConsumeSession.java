package io.groupwarden.coordinator.http;

import io.groupwarden.http.HttpError;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka consumer of this broker — a member of one group, subscribed to one topic — serving
 * every {@code POST /consume} for that pair. Requests wait in arrival order. A round polls once and
 * hands the records to the oldest waiting requests first, each up to its own count and byte budget;
 * a request is answered once it is full or its timeout has passed, after the offsets of exactly
 * what it got are committed. So any number of concurrent requests share one consumer and each ends
 * by its own deadline, instead of taking turns.
 *
 * <p>The consumer is touched only by the round running on the pool (one at a time), and by {@link
 * #closeConsumer} once no round can start any more.
 */
final class ConsumeSession {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeSession.class);

  /** The longest one poll waits, so that waiting requests are looked at this often. */
  static final long POLL_SLICE_MS = 200;

  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  record Key(String groupId, String topic) {}

  /** One request waiting for records. */
  static final class Waiter {
    final ConsumeRequest request;
    final long deadlineMs;
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    final CompletableFuture<ConsumeResult> answer = new CompletableFuture<>();
    private long bytes;
    private boolean full;

    Waiter(ConsumeRequest request, long deadlineMs) {
      this.request = request;
      this.deadlineMs = deadlineMs;
    }

    /** Takes the record unless it would overflow the byte budget (the first record always fits). */
    boolean take(ConsumerRecord<byte[], byte[]> record) {
      long size = Message.size(record);
      if (!records.isEmpty() && bytes + size > request.maxBytes()) {
        full = true;
        return false;
      }
      records.add(record);
      bytes += size;
      full = records.size() >= request.maxMessages() || bytes >= request.maxBytes();
      return true;
    }

    boolean done(long nowMs) {
      return full || nowMs >= deadlineMs;
    }

    /** Gives back the records of partitions this member no longer owns; they were not committed. */
    void forget(Collection<TopicPartition> partitions) {
      if (records.removeIf(r -> partitions.contains(partition(r)))) {
        bytes = records.stream().mapToLong(Message::size).sum();
        full = false;
      }
    }

    void forgetAll() {
      records.clear();
      bytes = 0;
      full = false;
    }
  }

  private final Key key;
  private final Function<Key, Consumer<byte[], byte[]>> consumers;
  private final Executor pool;
  private final LongSupplier clock;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private volatile Consumer<byte[], byte[]> consumer;
  private boolean scheduled;
  private boolean closed;
  private long idleSinceMs;

  ConsumeSession(
      Key key,
      Function<Key, Consumer<byte[], byte[]>> consumers,
      Executor pool,
      LongSupplier clock) {
    this.key = key;
    this.consumers = consumers;
    this.pool = pool;
    this.clock = clock;
    this.idleSinceMs = clock.getAsLong();
  }

  Key key() {
    return key;
  }

  /** Queues a request and starts a round if none is on its way. */
  synchronized Waiter enqueue(ConsumeRequest request) {
    if (closed) {
      throw HttpError.unavailable("the consumer of this group was just closed; retry");
    }
    Waiter waiter = new Waiter(request, clock.getAsLong() + request.timeoutMs());
    waiters.add(waiter);
    if (!scheduled) {
      try {
        pool.execute(this::round);
      } catch (RejectedExecutionException e) {
        waiters.remove(waiter);
        throw HttpError.unavailable("the consume service is stopping");
      }
      scheduled = true;
    }
    return waiter;
  }

  /** When the last request of this session was answered, if none is waiting or being served. */
  synchronized long idleSinceMs() {
    return scheduled || !waiters.isEmpty() ? Long.MAX_VALUE : idleSinceMs;
  }

  /**
   * Refuses further requests if no request is waiting or being served.
   *
   * @return true when the session is now closed and its consumer may be closed
   */
  synchronized boolean closeIfUnused() {
    if (closed || scheduled || !waiters.isEmpty()) {
      return false;
    }
    closed = true;
    return true;
  }

  /** Refuses further requests, answers waiting ones 503 and interrupts a poll in progress. */
  void stop() {
    List<Waiter> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(waiters);
      waiters.clear();
    }
    HttpError stopping = HttpError.unavailable("the consume service is stopping");
    dropped.forEach(w -> w.answer.completeExceptionally(stopping));
    Consumer<byte[], byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
  }

  /** Leaves the group and releases the consumer; only once no round can run any more. */
  void closeConsumer() {
    Consumer<byte[], byte[]> closing = consumer;
    consumer = null;
    if (closing != null) {
      try {
        closing.close(CloseOptions.timeout(CLOSE_TIMEOUT));
      } catch (RuntimeException e) {
        LOG.debug("closing the HTTP consumer of group {} failed", key.groupId(), e);
      }
    }
  }

  /** One poll and what follows; then, if requests are still waiting, another round is queued. */
  void round() {
    try {
      serve();
    } catch (WakeupException | InterruptException e) {
      failWaiting(HttpError.unavailable("the consume service is stopping"));
    } catch (RuntimeException e) {
      LOG.warn(
          "HTTP consumer of group {} on topic {} failed; it is replaced on the next request",
          key.groupId(),
          key.topic(),
          e);
      failWaiting(
          HttpError.unavailable("consuming from '" + key.topic() + "' failed: " + e.getMessage()));
      closeConsumer();
    } finally {
      next();
    }
  }

  private void next() {
    synchronized (this) {
      if (!waiters.isEmpty() && !closed) {
        try {
          pool.execute(this::round);
          return;
        } catch (RejectedExecutionException e) {
          closed = true;
        }
      }
      scheduled = false;
      idleSinceMs = clock.getAsLong();
    }
    failWaiting(HttpError.unavailable("the consume service is stopping"));
  }

  private void failWaiting(HttpError error) {
    List<Waiter> failed;
    synchronized (this) {
      failed = new ArrayList<>(waiters);
      waiters.clear();
    }
    failed.forEach(w -> w.answer.completeExceptionally(error));
  }

  private void serve() {
    Consumer<byte[], byte[]> kafka = consumer;
    if (kafka == null) {
      kafka = consumers.apply(key);
      kafka.subscribe(List.of(key.topic()), new Revocations());
      consumer = kafka;
    }
    long wait;
    synchronized (this) {
      if (waiters.isEmpty() || closed) {
        return;
      }
      long earliest = waiters.stream().mapToLong(w -> w.deadlineMs).min().getAsLong();
      wait = Math.max(0, Math.min(POLL_SLICE_MS, earliest - clock.getAsLong()));
    }
    ConsumerRecords<byte[], byte[]> polled = kafka.poll(Duration.ofMillis(wait));
    long now = clock.getAsLong();
    List<Waiter> done = new ArrayList<>();
    Map<TopicPartition, Long> unused = new HashMap<>();
    synchronized (this) {
      Iterator<ConsumerRecord<byte[], byte[]>> records = polled.iterator();
      ConsumerRecord<byte[], byte[]> offered = null;
      for (Waiter waiter : waiters) {
        while (!waiter.done(now)) {
          if (offered == null) {
            if (!records.hasNext()) {
              break;
            }
            offered = records.next();
          }
          if (waiter.take(offered)) {
            offered = null;
          }
        }
        if (waiter.done(now)) {
          done.add(waiter);
        }
      }
      if (offered != null) {
        unused.putIfAbsent(partition(offered), offered.offset());
      }
      records.forEachRemaining(r -> unused.putIfAbsent(partition(r), r.offset()));
      waiters.removeAll(done);
    }
    // Records fetched beyond what was asked for are read again by a later round.
    unused.forEach(kafka::seek);
    answer(kafka, done);
  }

  /** Commits what the finished requests got, then answers them; nothing is answered uncommitted. */
  private void answer(Consumer<byte[], byte[]> kafka, List<Waiter> done) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (Waiter waiter : done) {
      for (ConsumerRecord<byte[], byte[]> record : waiter.records) {
        commit.merge(
            partition(record),
            new OffsetAndMetadata(record.offset() + 1),
            (a, b) -> a.offset() >= b.offset() ? a : b);
      }
    }
    try {
      if (!commit.isEmpty()) {
        kafka.commitSync(commit, COMMIT_TIMEOUT);
      }
    } catch (WakeupException | InterruptException e) {
      HttpError stopping = HttpError.unavailable("the consume service is stopping");
      done.forEach(w -> w.answer.completeExceptionally(stopping));
      throw e;
    } catch (KafkaException e) {
      rewind(kafka, done);
      HttpError retry =
          HttpError.unavailable(
              "the group is rebalancing and nothing was committed; retry (" + e.getMessage() + ")");
      for (Waiter waiter : done) {
        if (waiter.records.isEmpty()) {
          waiter.answer.complete(ConsumeResult.of(waiter.request, List.of()));
        } else {
          waiter.answer.completeExceptionally(retry);
        }
      }
      return;
    }
    for (Waiter waiter : done) {
      waiter.answer.complete(ConsumeResult.of(waiter.request, waiter.records));
    }
  }

  /**
   * After a failed commit: every record handed out but not committed is read again, so requests
   * still waiting give theirs back too.
   */
  private void rewind(Consumer<byte[], byte[]> kafka, List<Waiter> done) {
    Map<TopicPartition, Long> first = new HashMap<>();
    synchronized (this) {
      List<Waiter> all = new ArrayList<>(done);
      all.addAll(waiters);
      for (Waiter waiter : all) {
        for (ConsumerRecord<byte[], byte[]> record : waiter.records) {
          first.merge(partition(record), record.offset(), Math::min);
        }
      }
      waiters.forEach(Waiter::forgetAll);
    }
    first.forEach(
        (tp, offset) -> {
          if (kafka.assignment().contains(tp)) {
            kafka.seek(tp, offset);
          }
        });
  }

  private static TopicPartition partition(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** Records of partitions taken away in a rebalance go back: their new owner reads them. */
  private final class Revocations implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      synchronized (ConsumeSession.this) {
        waiters.forEach(w -> w.forget(partitions));
      }
    }
  }
}
