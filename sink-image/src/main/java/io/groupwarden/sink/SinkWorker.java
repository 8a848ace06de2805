package io.groupwarden.sink;

import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.document.DocumentMapper;
import io.groupwarden.sink.document.MappedValue;
import io.groupwarden.sink.document.RejectReason;
import io.groupwarden.sink.http.HealthServer.Health;
import io.groupwarden.sink.kafka.DeadLetter;
import io.groupwarden.sink.kafka.InboundMessage;
import io.groupwarden.sink.kafka.KafkaClientProperties;
import io.groupwarden.sink.metrics.SinkMetrics;
import io.groupwarden.sink.store.MongoDocumentStore;
import io.groupwarden.sink.write.BatchWrite;
import io.groupwarden.sink.write.InsertResult;
import io.groupwarden.sink.write.OffsetTracker;
import io.groupwarden.sink.write.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink loop: poll, map, batch, write, dead-letter, commit. Everything runs on the thread that
 * calls {@link #run()}, as the Kafka consumer wants, except the MongoDB insert itself: it runs on a
 * writer thread, one at a time, while this thread polls and parses up to one batch ahead, so the
 * round trip to MongoDB overlaps the work on the next batch. {@link #stop()} may be called from any
 * thread.
 *
 * <p>A batch is written with {@link BatchWrite}. While it waits for a retry, the assigned
 * partitions are paused and the loop keeps polling, so the group sees a live member and no more
 * messages come in; offsets move only when a whole batch is stored or dead-lettered.
 */
public final class SinkWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);

  /** Offsets of an idle or slow stream are committed at least this often. */
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);

  /** The longest a poll waits, so that {@link #stop()} is noticed soon. */
  private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);

  private static final Duration LAG_INTERVAL = Duration.ofSeconds(1);

  /** Liveness fails when the loop has not come round for this long: it is stuck. */
  private static final Duration STUCK_AFTER = Duration.ofMinutes(5);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** How long the loop waits for a write on its way when nothing new has arrived. */
  private static final Duration WRITE_CHECK = Duration.ofMillis(50);

  private final SinkConfig config;
  private final SinkMetrics metrics;
  private final Clock clock;
  private final DocumentMapper mapper = new DocumentMapper();
  private final OffsetTracker offsets = new OffsetTracker();
  private final RetryPolicy retry;
  private final MongoDocumentStore store;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetterProducer;

  private final List<InboundMessage> pending = new ArrayList<>();
  private Instant pendingSince;
  private boolean lastPollEmpty = true;
  private Batch inFlight;
  private Write writing;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "mongodb-writer");
            thread.setDaemon(true);
            return thread;
          });
  private boolean paused;
  private Instant lastCommit;
  private boolean asyncCommitInFlight;
  private Instant lastLagUpdate = Instant.EPOCH;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean joined;
  private volatile boolean storeOutage;
  private volatile Instant lastLoop;
  private volatile Throwable failure;
  private volatile Set<TopicPartition> assignment = Set.of();
  private final AtomicInteger rebalanceCallbacks = new AtomicInteger();

  /** A batch being written: its messages, the write of those that map to documents, and when. */
  private static final class Batch {
    final List<InboundMessage> messages;
    final BatchWrite<InboundMessage> write;
    final List<Future<RecordMetadata>> deadLetterSends = new ArrayList<>();
    final Instant started;

    Batch(List<InboundMessage> messages, BatchWrite<InboundMessage> write, Instant started) {
      this.messages = messages;
      this.write = write;
      this.started = started;
    }
  }

  public SinkWorker(SinkConfig config, SinkMetrics metrics, Clock clock) {
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    SinkConfig.Batch batch = config.batch();
    this.retry = new RetryPolicy(batch.maxRetries(), batch.retryBackoff(), batch.retryBackoffMax());
    this.lastLoop = clock.instant();
    this.lastCommit = clock.instant();
    this.store = new MongoDocumentStore(config.mongo(), config.kafka().instanceId());
    this.consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(config));
    this.deadLetterProducer = new KafkaProducer<>(KafkaClientProperties.deadLetterProducer(config));
    Metric consumerConnections = connectionCount(consumer.metrics(), "consumer-metrics");
    Metric producerConnections = connectionCount(deadLetterProducer.metrics(), "producer-metrics");
    metrics.connections(
        "kafka", () -> asDouble(consumerConnections) + asDouble(producerConnections));
    metrics.connections("mongodb", store::openConnections);
  }

  @Override
  public void run() {
    try {
      ensureIndexes();
      consumer.subscribe(List.of(config.kafka().topic()), new Rebalance());
      LOG.info(
          "consuming {} as {} in group {}",
          config.kafka().topic(),
          config.kafka().instanceId(),
          config.kafka().groupId());
      while (running) {
        lastLoop = clock.instant();
        writeWhatIsDue(false);
        commitIfDue();
        poll();
      }
      finish();
    } catch (Throwable t) {
      failure = t;
      LOG.error("the worker stopped on an error; offsets stay at the last stored message", t);
    } finally {
      closeClients();
      stopped.countDown();
    }
  }

  /** Asks the loop to finish: it completes or abandons the current batch, commits and closes. */
  public void stop() {
    running = false;
    stopRequested.countDown();
  }

  /** Waits until {@link #run()} has returned; false on timeout. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The error that ended the loop, if one did. */
  public Throwable failure() {
    return failure;
  }

  /** The partitions this worker owns now. */
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  /** How often the group changed this worker's partitions (assigned, revoked or lost callbacks). */
  public int rebalanceCallbacks() {
    return rebalanceCallbacks.get();
  }

  /** Liveness: the loop runs and comes round. */
  public Health liveness() {
    boolean stuck = Duration.between(lastLoop, clock.instant()).compareTo(STUCK_AFTER) > 0;
    boolean up = failure == null && stopped.getCount() > 0 && !stuck;
    String status = up ? "UP" : "DOWN";
    String detail = failure != null ? "failed" : stuck ? "stuck" : running ? "running" : "stopping";
    return new Health(up, "{\"status\":\"" + status + "\",\"worker\":\"" + detail + "\"}\n");
  }

  /** Readiness: in the group (partitions assigned, possibly none) and MongoDB writable. */
  public Health readiness() {
    boolean kafka = joined && running;
    boolean mongo = store.writable() && !storeOutage;
    boolean up = kafka && mongo && liveness().up();
    return new Health(
        up,
        "{\"status\":\""
            + (up ? "UP" : "DOWN")
            + "\",\"kafka\":\""
            + (kafka ? "UP" : "DOWN")
            + "\",\"mongodb\":\""
            + (mongo ? "UP" : "DOWN")
            + "\"}\n");
  }

  // ---- start-up

  private void ensureIndexes() throws InterruptedException {
    int failures = 0;
    while (running) {
      lastLoop = clock.instant();
      try {
        store.ensureIndexes();
        return;
      } catch (RuntimeException e) {
        failures++;
        Duration delay = retry.delayBefore(failures);
        LOG.warn("cannot create the indexes yet (retry in {}): {}", delay, e.getMessage());
        stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  // ---- writing

  /**
   * Writes batches as long as one is ready and no retry wait is pending. A write runs on the writer
   * thread while this thread goes on polling and parsing; its result is taken up here once it is
   * done. On shutdown ({@code finishing}) every pending message counts as ready and writes are
   * waited for.
   */
  private void writeWhatIsDue(boolean finishing) {
    while (true) {
      if (writing != null) {
        if (!writing.future().isDone() && !finishing) {
          return;
        }
        collectWrite();
      }
      if (inFlight == null) {
        if (!batchReady(finishing)) {
          return;
        }
        startBatch();
      }
      if (inFlight.write.isDone()) {
        completeBatch();
        continue;
      }
      if (clock.instant().isBefore(inFlight.write.nextAttemptAt())) {
        return;
      }
      attempt(inFlight.write);
    }
  }

  private boolean batchReady(boolean finishing) {
    if (pending.isEmpty()) {
      return false;
    }
    if (finishing || pending.size() >= config.batch().size() || lastPollEmpty) {
      return true;
    }
    return Duration.between(pendingSince, clock.instant()).compareTo(config.batch().linger()) >= 0;
  }

  private void startBatch() {
    int size = Math.min(config.batch().size(), pending.size());
    List<InboundMessage> messages = new ArrayList<>(pending.subList(0, size));
    pending.subList(0, size).clear();
    pendingSince = pending.isEmpty() ? null : clock.instant();
    List<InboundMessage> documents = new ArrayList<>(messages.size());
    List<Future<RecordMetadata>> rejectedSends = new ArrayList<>();
    for (InboundMessage message : messages) {
      if (message.mapped() instanceof MappedValue.Rejected rejected) {
        // Bad input goes to the dead-letter topic at once: no retry can make it valid.
        rejectedSends.add(sendDeadLetter(message, rejected.reason(), rejected.message()));
      } else {
        documents.add(message);
      }
    }
    Instant now = clock.instant();
    inFlight =
        new Batch(messages, new BatchWrite<>(documents, retry, config.onStoreOutage(), now), now);
    inFlight.deadLetterSends.addAll(rejectedSends);
  }

  /** A write on the writer thread: the chunk of documents and its pending result. */
  private record Write(List<InboundMessage> chunk, long startNanos, Future<InsertResult> future) {}

  private void attempt(BatchWrite<InboundMessage> write) {
    List<InboundMessage> chunk = write.nextChunk();
    List<BsonDocument> documents = new ArrayList<>(chunk.size());
    for (InboundMessage message : chunk) {
      documents.add(((MappedValue.Stored) message.mapped()).document());
    }
    writing = new Write(chunk, System.nanoTime(), writer.submit(() -> store.insert(documents)));
  }

  /** Waits up to {@code timeout} for the write on its way to finish (it is taken up later). */
  private void awaitWrite(Duration timeout) {
    try {
      writing.future().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running, or failed: collectWrite deals with either
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /** Takes up the result of the write in flight, waiting for it if it is not done yet. */
  private void collectWrite() {
    Write done = writing;
    writing = null;
    InsertResult result;
    try {
      result = done.future().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the MongoDB write failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    metrics.mongoWrite(Duration.ofNanos(System.nanoTime() - done.startNanos()));
    BatchWrite<InboundMessage> write = inFlight.write;
    List<InboundMessage> chunk = done.chunk();
    boolean wasUnavailable = write.storeUnavailable();
    write.record(result, clock.instant());
    storeOutage = write.storeUnavailable();
    if (result instanceof InsertResult.Unavailable unavailable) {
      metrics.error("write_unavailable");
      LOG.warn(
          "MongoDB unreachable; {} {} (next try in {}): {}",
          config.onStoreOutage().text(),
          write.isDone() ? "gave up: batch dead-lettered" : "keeping the batch",
          write.waitingTime(clock.instant()),
          unavailable.error());
    } else if (result instanceof InsertResult.Failed failed) {
      metrics.error("write_failed");
      LOG.warn("insert of {} documents failed: {}", chunk.size(), failed.error());
    } else if (!((InsertResult.Written) result).refused().isEmpty()) {
      metrics.error("write_refused");
      LOG.warn(
          "MongoDB refused {} of {} documents, e.g. {}",
          ((InsertResult.Written) result).refused().size(),
          chunk.size(),
          ((InsertResult.Written) result).refused().values().iterator().next());
    } else if (wasUnavailable) {
      LOG.info("MongoDB is reachable again");
    }
  }

  private void completeBatch() {
    Batch batch = inFlight;
    for (BatchWrite.DeadLetter<InboundMessage> letter : batch.write.deadLetters()) {
      batch.deadLetterSends.add(sendDeadLetter(letter.item(), letter.reason(), letter.error()));
    }
    awaitDeadLetters(batch.deadLetterSends);
    metrics.stored(batch.write.stored());
    metrics.duplicates(batch.write.duplicates());
    metrics.deadLettered(batch.deadLetterSends.size());
    for (InboundMessage message : batch.messages) {
      offsets.resolved(message.topicPartition(), message.offset());
    }
    metrics.batch(batch.messages.size(), Duration.between(batch.started, clock.instant()));
    inFlight = null;
    storeOutage = false;
  }

  private Future<RecordMetadata> sendDeadLetter(
      InboundMessage message, RejectReason reason, String error) {
    metrics.error(reason.name());
    LOG.warn(
        "dead-lettering {}-{}@{}: {} {}",
        message.topic(),
        message.partition(),
        message.offset(),
        reason,
        error);
    return deadLetterProducer.send(
        DeadLetter.record(
            config.kafka().deadLetterTopic(), message, reason, error, config.kafka().instanceId()));
  }

  /**
   * Offsets may pass a dead-lettered message only once the dead-letter topic has it. The producer
   * retries on its own until its delivery timeout; a send that still fails stops the worker, which
   * then starts again from the last committed offset and loses nothing.
   */
  private void awaitDeadLetters(List<Future<RecordMetadata>> sends) {
    if (sends.isEmpty()) {
      return;
    }
    deadLetterProducer.flush();
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        metrics.error("dead_letter_failed");
        throw new IllegalStateException(
            "cannot write to the dead-letter topic " + config.kafka().deadLetterTopic(),
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
    }
  }

  // ---- consuming

  private void poll() {
    Duration timeout;
    boolean waitingToRetry = inFlight != null && writing == null && !inFlight.write.isDone();
    if (waitingToRetry) {
      // Waiting to retry a write: take no more messages but stay a live member of the group.
      pause(consumer.assignment());
      timeout = min(inFlight.write.waitingTime(clock.instant()), MAX_POLL_WAIT);
    } else if (writing != null) {
      // A write is on its way. With a batch read ahead, wait for the write rather than poll more
      // (pausing would drop what the consumer has prefetched); otherwise take what has arrived.
      if (pending.size() >= config.batch().size()) {
        awaitWrite(MAX_POLL_WAIT);
        return;
      }
      resume();
      timeout = Duration.ZERO;
    } else {
      resume();
      timeout =
          pending.isEmpty()
              ? MAX_POLL_WAIT
              : min(
                  config.batch().linger().minus(Duration.between(pendingSince, clock.instant())),
                  MAX_POLL_WAIT);
    }
    Duration wait = timeout.isNegative() ? Duration.ZERO : timeout;
    ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
    // Only a poll that waited and found nothing says the stream is quiet (write a partial batch,
    // commit now); a poll that did not wait may just have come before the next fetch.
    lastPollEmpty = records.isEmpty() && !wait.isZero();
    if (records.isEmpty() && writing != null) {
      awaitWrite(WRITE_CHECK);
    }
    long receivedAt = clock.millis();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      MappedValue mapped =
          mapper.map(
              record.topic(), record.partition(), record.offset(), record.value(), receivedAt);
      if (pending.isEmpty()) {
        pendingSince = clock.instant();
      }
      pending.add(
          new InboundMessage(
              record.topic(),
              record.partition(),
              record.offset(),
              record.key(),
              record.value(),
              record.headers(),
              mapped));
    }
    updateLag();
  }

  private void pause(Set<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      consumer.pause(partitions);
    }
    paused = true;
  }

  private void resume() {
    if (paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  private void updateLag() {
    Instant now = clock.instant();
    if (Duration.between(lastLagUpdate, now).compareTo(LAG_INTERVAL) < 0) {
      return;
    }
    lastLagUpdate = now;
    for (TopicPartition partition : consumer.assignment()) {
      consumer.currentLag(partition).ifPresent(lag -> metrics.lag(partition, lag));
    }
  }

  // ---- committing

  /**
   * Commits the resolved offsets when due, asynchronously: the loop goes on writing while the
   * commit travels, and the next one is sent only when it has come back. Commits that must be done
   * before partitions change hands (revocation, shutdown) are synchronous.
   */
  private void commitIfDue() {
    if (!offsets.hasUncommitted() || asyncCommitInFlight) {
      return;
    }
    boolean idle = inFlight == null && pending.isEmpty() && lastPollEmpty;
    if (offsets.resolvedSinceCommit() >= config.batch().commitEvery()
        || idle
        || Duration.between(lastCommit, clock.instant()).compareTo(COMMIT_INTERVAL) >= 0) {
      commitAsync(offsets.uncommitted());
    }
  }

  private void commitAsync(Map<TopicPartition, Long> next) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    next.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
    long start = System.nanoTime();
    asyncCommitInFlight = true;
    offsets.commitSent();
    // the callback runs on this thread, inside a later poll or commit
    consumer.commitAsync(
        commits,
        (committed, error) -> {
          asyncCommitInFlight = false;
          metrics.commit(Duration.ofNanos(System.nanoTime() - start));
          if (error == null) {
            offsets.committed(next);
            lastCommit = clock.instant();
          } else {
            metrics.error("commit_failed");
            LOG.warn("offset commit failed, will retry: {}", error.toString());
          }
        });
  }

  private void commit(Map<TopicPartition, Long> next) {
    if (next.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    next.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
    long start = System.nanoTime();
    try {
      consumer.commitSync(commits);
      offsets.committed(next);
      lastCommit = clock.instant();
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

  // ---- shutting down

  private void finish() {
    LOG.info("stopping: finishing the current batch");
    // Store what is already read, as long as that needs no retry wait; a batch that has to wait
    // is abandoned and its messages are read again after the restart.
    lastPollEmpty = true;
    writeWhatIsDue(true);
    if (inFlight != null) {
      LOG.info("abandoning a batch of {} messages: it waits for a retry", inFlight.messages.size());
      inFlight = null;
    }
    commit(offsets.uncommitted());
  }

  private void closeClients() {
    CloseOptions.GroupMembershipOperation membership =
        config.kafka().leaveGroupOnShutdown()
            ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
            : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
    closeQuietly(
        "consumer",
        () ->
            consumer.close(
                CloseOptions.groupMembershipOperation(membership).withTimeout(CLOSE_TIMEOUT)));
    closeQuietly("dead-letter producer", () -> deadLetterProducer.close(CLOSE_TIMEOUT));
    writer.shutdownNow();
    closeQuietly("MongoDB client", store::close);
    LOG.info(
        "stopped; {}",
        membership == CloseOptions.GroupMembershipOperation.LEAVE_GROUP
            ? "left the group"
            : "partitions stay reserved for instance "
                + config.kafka().instanceId()
                + " for the session timeout");
  }

  private static void closeQuietly(String what, Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      LOG.warn("closing the {} failed: {}", what, e.toString());
    }
  }

  /** Called by the consumer inside poll (and close), on the worker thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      joined = true;
      if (!partitions.isEmpty()) {
        rebalanceCallbacks.incrementAndGet();
        LOG.info("assigned {}", partitions);
      }
      if (inFlight != null) {
        pause(new HashSet<>(partitions));
      }
      assignment = Set.copyOf(consumer.assignment());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      rebalanceCallbacks.incrementAndGet();
      LOG.info("revoked {}", partitions);
      drop(partitions);
      commit(offsets.uncommitted(partitions));
      offsets.forget(partitions);
      assignment = assignmentWithout(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      rebalanceCallbacks.incrementAndGet();
      LOG.warn(
          "lost {}; their uncommitted messages will be read again by the new owner", partitions);
      drop(partitions);
      offsets.forget(partitions);
      assignment = assignmentWithout(partitions);
    }

    /** Forgets unresolved messages of partitions that are no longer ours. */
    private void drop(Collection<TopicPartition> partitions) {
      if (writing != null) {
        collectWrite(); // the batch's state must not change under a write on its way
      }
      Set<TopicPartition> gone = new HashSet<>(partitions);
      pending.removeIf(message -> gone.contains(message.topicPartition()));
      if (pending.isEmpty()) {
        pendingSince = null;
      }
      if (inFlight != null) {
        inFlight.write.discard(message -> gone.contains(message.topicPartition()));
        inFlight.messages.removeIf(message -> gone.contains(message.topicPartition()));
      }
      gone.forEach(metrics::forgetLag);
    }

    private Set<TopicPartition> assignmentWithout(Collection<TopicPartition> partitions) {
      Set<TopicPartition> rest = new HashSet<>(assignment);
      partitions.forEach(rest::remove);
      return Set.copyOf(rest);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Metric connectionCount(Map<MetricName, ? extends Metric> metrics, String group) {
    return metrics.entrySet().stream()
        .filter(e -> e.getKey().name().equals("connection-count"))
        .filter(e -> e.getKey().group().equals(group))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static double asDouble(Metric metric) {
    return metric != null && metric.metricValue() instanceof Number n ? n.doubleValue() : 0;
  }
}
