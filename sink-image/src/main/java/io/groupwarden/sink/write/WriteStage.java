package io.groupwarden.sink.write;

import io.groupwarden.sink.config.OnStoreOutage;
import io.groupwarden.sink.document.MappedValue;
import io.groupwarden.sink.kafka.DeadLetterSender;
import io.groupwarden.sink.kafka.InboundMessage;
import io.groupwarden.sink.metrics.SinkMetrics;
import io.groupwarden.sink.store.DocumentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch being written: one at a time, each insert on the writer thread so the consumer's thread
 * goes on polling and parsing meanwhile. Values that cannot be documents go to the dead-letter
 * topic as the batch starts; {@link BatchWrite} decides retries, splits and what else is
 * dead-lettered. The consumer's thread calls every method; only the insert runs on the writer.
 */
public final class WriteStage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteStage.class);

  private final DocumentStore store;
  private final DeadLetterSender deadLetters;
  private final RetryPolicy retry;
  private final OnStoreOutage onStoreOutage;
  private final SinkMetrics metrics;
  private final Clock clock;
  private final ExecutorService writer;

  private Batch batch;
  private Write writing;

  /** A batch being written: its messages, the write of those that map to documents, and when. */
  private record Batch(
      List<InboundMessage> messages,
      BatchWrite<InboundMessage> write,
      List<Future<RecordMetadata>> deadLetterSends,
      Instant started) {}

  /** An insert on the writer thread: the chunk of messages and its pending result. */
  private record Write(List<InboundMessage> chunk, long startNanos, Future<InsertResult> result) {}

  public WriteStage(
      DocumentStore store,
      DeadLetterSender deadLetters,
      RetryPolicy retry,
      OnStoreOutage onStoreOutage,
      SinkMetrics metrics,
      Clock clock,
      ExecutorService writer) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.retry = retry;
    this.onStoreOutage = onStoreOutage;
    this.metrics = metrics;
    this.clock = clock;
    this.writer = writer;
  }

  /** A batch is being written (or waits for a retry). */
  public boolean hasBatch() {
    return batch != null;
  }

  /** An insert is on its way on the writer thread. */
  public boolean writing() {
    return writing != null;
  }

  /** The batch waits for its next attempt: take no more messages meanwhile. */
  public boolean waitingToRetry() {
    return batch != null && writing == null && !batch.write().isDone();
  }

  /** How long until the next attempt is due (zero when it is). */
  public Duration waitingTime() {
    return batch == null ? Duration.ZERO : batch.write().waitingTime(clock.instant());
  }

  /** The batch waits for MongoDB to come back. */
  public boolean storeOutage() {
    return batch != null && batch.write().storeUnavailable();
  }

  /** Starts writing a batch; dead-letters at once the messages that cannot be documents. */
  public void start(List<InboundMessage> messages) {
    if (batch != null) {
      throw new IllegalStateException("a batch is being written already");
    }
    List<InboundMessage> documents = new ArrayList<>(messages.size());
    List<Future<RecordMetadata>> rejectedSends = new ArrayList<>();
    for (InboundMessage message : messages) {
      if (message.mapped() instanceof MappedValue.Rejected rejected) {
        // Bad input goes to the dead-letter topic at once: no retry can make it valid.
        rejectedSends.add(deadLetters.send(message, rejected.reason(), rejected.message()));
      } else {
        documents.add(message);
      }
    }
    Instant now = clock.instant();
    batch =
        new Batch(
            new ArrayList<>(messages),
            new BatchWrite<>(documents, retry, onStoreOutage, now),
            rejectedSends,
            now);
  }

  /**
   * Takes up the result of the insert on its way if it is done, or waits for it with {@code wait}.
   *
   * @return true when no insert is on its way any more
   */
  public boolean collect(boolean wait) {
    if (writing == null) {
      return true;
    }
    if (!wait && !writing.result().isDone()) {
      return false;
    }
    Write done = writing;
    writing = null;
    InsertResult result;
    try {
      result = done.result().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the MongoDB write failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    metrics.mongoWrite(Duration.ofNanos(System.nanoTime() - done.startNanos()));
    record(batch.write(), done.chunk().size(), result);
    return true;
  }

  /** Waits up to {@code timeout} for the insert on its way to finish (it is collected later). */
  public void awaitWrite(Duration timeout) {
    if (writing == null) {
      return;
    }
    try {
      writing.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running, or failed: collect deals with either
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /**
   * Completes the batch when every message in it is stored or bound for the dead-letter topic:
   * waits until the dead-letter topic has its share.
   *
   * @return the batch's messages, resolved, in the order they were read; null while it is not done
   */
  public List<InboundMessage> completeIfDone() {
    if (batch == null || writing != null || !batch.write().isDone()) {
      return null;
    }
    Batch done = batch;
    batch = null;
    for (BatchWrite.DeadLetter<InboundMessage> letter : done.write().deadLetters()) {
      done.deadLetterSends().add(deadLetters.send(letter.item(), letter.reason(), letter.error()));
    }
    deadLetters.awaitAll(done.deadLetterSends());
    metrics.stored(done.write().stored());
    metrics.duplicates(done.write().duplicates());
    metrics.deadLettered(done.deadLetterSends().size());
    metrics.batch(done.messages().size(), Duration.between(done.started(), clock.instant()));
    return done.messages();
  }

  /**
   * Hands the next chunk of the batch to the writer thread when its attempt is due.
   *
   * @return false when the batch must wait for a retry
   */
  public boolean attemptIfDue() {
    if (batch == null || writing != null || batch.write().isDone()) {
      return true;
    }
    if (clock.instant().isBefore(batch.write().nextAttemptAt())) {
      return false;
    }
    List<InboundMessage> chunk = batch.write().nextChunk();
    List<BsonDocument> documents = new ArrayList<>(chunk.size());
    for (InboundMessage message : chunk) {
      documents.add(((MappedValue.Stored) message.mapped()).document());
    }
    writing = new Write(chunk, System.nanoTime(), writer.submit(() -> store.insert(documents)));
    return true;
  }

  /**
   * Drops the batch (shutdown while it waits for a retry): its messages are read again after the
   * restart. A write on its way is waited for first.
   *
   * @return how many messages were dropped
   */
  public int abandon() {
    collect(true);
    int dropped = batch == null ? 0 : batch.messages().size();
    batch = null;
    return dropped;
  }

  /** Forgets the messages of partitions that are no longer this worker's. */
  public void discard(Set<org.apache.kafka.common.TopicPartition> gone) {
    collect(true); // the batch's state must not change under a write on its way
    if (batch != null) {
      batch.write().discard(message -> gone.contains(message.topicPartition()));
      batch.messages().removeIf(message -> gone.contains(message.topicPartition()));
    }
  }

  private void record(BatchWrite<InboundMessage> write, int chunkSize, InsertResult result) {
    boolean wasUnavailable = write.storeUnavailable();
    write.record(result, clock.instant());
    if (result instanceof InsertResult.Unavailable unavailable) {
      metrics.error("write_unavailable");
      LOG.warn(
          "MongoDB unreachable; {} {} (next try in {}): {}",
          onStoreOutage.text(),
          write.isDone() ? "gave up: batch dead-lettered" : "keeping the batch",
          write.waitingTime(clock.instant()),
          unavailable.error());
    } else if (result instanceof InsertResult.Failed failed) {
      metrics.error("write_failed");
      LOG.warn("insert of {} documents failed: {}", chunkSize, failed.error());
    } else if (!((InsertResult.Written) result).refused().isEmpty()) {
      InsertResult.Written written = (InsertResult.Written) result;
      metrics.error("write_refused");
      LOG.warn(
          "MongoDB refused {} of {} documents, e.g. {}",
          written.refused().size(),
          chunkSize,
          written.refused().values().iterator().next());
    } else if (wasUnavailable) {
      LOG.info("MongoDB is reachable again");
    }
  }

  /** Stops the writer thread; an insert on its way is interrupted. */
  @Override
  public void close() {
    writer.shutdownNow();
  }
}
