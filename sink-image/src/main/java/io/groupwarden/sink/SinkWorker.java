package io.groupwarden.sink;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.document.DocumentMapper;
import io.groupwarden.sink.document.MappedValue;
import io.groupwarden.sink.health.HealthState;
import io.groupwarden.sink.health.Liveness;
import io.groupwarden.sink.health.Readiness;
import io.groupwarden.sink.kafka.DeadLetterSender;
import io.groupwarden.sink.kafka.InboundMessage;
import io.groupwarden.sink.kafka.KafkaClientProperties;
import io.groupwarden.sink.kafka.KafkaContact;
import io.groupwarden.sink.kafka.KafkaUnreachableException;
import io.groupwarden.sink.metrics.SinkMetrics;
import io.groupwarden.sink.store.DocumentStore;
import io.groupwarden.sink.store.MongoDocumentStore;
import io.groupwarden.sink.write.CommitScheduler;
import io.groupwarden.sink.write.PendingMessages;
import io.groupwarden.sink.write.RetryPolicy;
import io.groupwarden.sink.write.WriteStage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink loop: poll, map, batch, write, dead-letter, commit. Everything runs on the thread that
 * calls {@link #run()}, as the Kafka consumer wants, except the MongoDB insert itself: the {@link
 * WriteStage} runs it on a writer thread, one at a time, while this thread polls and parses up to
 * one batch ahead. {@link #stop()} may be called from any thread.
 *
 * <p>While a batch waits for a retry, the assigned partitions are paused and the loop keeps
 * polling, so the group sees a live member and no more messages come in; offsets move only when a
 * whole batch is stored or dead-lettered ({@link CommitScheduler}).
 *
 * <p>The consumer, the dead-letter producer and the store come from outside ({@link #create} makes
 * the real ones), so the loop can be tested with kafka-clients' mocks and an in-memory store.
 */
public final class SinkWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);

  /** Offsets of an idle or slow stream are committed at least this often. */
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);

  /** The longest a poll waits, so that {@link #stop()} is noticed soon. */
  static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);

  private static final Duration LAG_INTERVAL = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** Closing when Kafka does not answer: nothing can be said to it anyway. */
  private static final Duration CLOSE_TIMEOUT_KAFKA_GONE = Duration.ofSeconds(1);

  /** How long the loop waits for a write on its way when nothing new has arrived. */
  private static final Duration WRITE_CHECK = Duration.ofMillis(50);

  private final SinkConfig config;
  private final SinkMetrics metrics;
  private final Clock clock;
  private final Consumer<byte[], byte[]> consumer;
  private final DeadLetterSender deadLetters;
  private final DocumentStore store;
  private final DocumentMapper mapper = new DocumentMapper();
  private final RetryPolicy retry;
  private final HealthState health;
  private final PendingMessages pending;
  private final WriteStage writes;
  private final CommitScheduler commits;
  private final KafkaContact contact;

  private boolean lastPollEmpty = true;
  private boolean paused;
  private Instant lastLagUpdate = Instant.EPOCH;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /** Kafka stopped answering: nothing more is sent to it on the way out, and closing is short. */
  private boolean kafkaGone;

  private volatile Set<TopicPartition> assignment = Set.of();
  private final AtomicInteger rebalanceCallbacks = new AtomicInteger();

  /** The worker with a writer thread of its own. */
  public SinkWorker(
      SinkConfig config,
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> deadLetterProducer,
      DocumentStore store,
      SinkMetrics metrics,
      Clock clock) {
    this(config, consumer, deadLetterProducer, store, metrics, clock, writerThread());
  }

  /** With the executor that runs the inserts (tests pass one that runs them at once). */
  SinkWorker(
      SinkConfig config,
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> deadLetterProducer,
      DocumentStore store,
      SinkMetrics metrics,
      Clock clock,
      ExecutorService writer) {
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.consumer = consumer;
    this.store = store;
    SinkConfig.Batch batch = config.batch();
    this.retry = new RetryPolicy(batch.maxRetries(), batch.retryBackoff(), batch.retryBackoffMax());
    this.health = new HealthState(clock, store::writable);
    this.deadLetters =
        new DeadLetterSender(
            deadLetterProducer,
            config.kafka().deadLetterTopic(),
            config.kafka().instanceId(),
            metrics);
    this.pending = new PendingMessages(batch.size(), batch.linger(), clock);
    this.writes =
        new WriteStage(store, deadLetters, retry, config.onStoreOutage(), metrics, clock, writer);
    this.contact =
        new KafkaContact(consumer, config.kafka().topic(), config.kafka().outageLimit(), clock);
    this.commits =
        new CommitScheduler(
            consumer, batch.commitEvery(), COMMIT_INTERVAL, metrics, clock, contact::heard);
  }

  /** A worker with the real Kafka clients and MongoDB store that the configuration describes. */
  public static SinkWorker create(SinkConfig config, SinkMetrics metrics, Clock clock) {
    MongoDocumentStore store = new MongoDocumentStore(config.mongo(), config.kafka().instanceId());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaClientProperties.consumer(config));
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.deadLetterProducer(config));
    Metric consumerConnections = connectionCount(consumer.metrics(), "consumer-metrics");
    Metric producerConnections = connectionCount(producer.metrics(), "producer-metrics");
    metrics.connections(
        "kafka", () -> asDouble(consumerConnections) + asDouble(producerConnections));
    metrics.connections("mongodb", store::openConnections);
    return new SinkWorker(config, consumer, producer, store, metrics, clock);
  }

  private static ExecutorService writerThread() {
    return DaemonThreads.single("mongodb-writer");
  }

  @Override
  public void run() {
    try {
      start();
      while (running) {
        step();
      }
      finish();
    } catch (KafkaUnreachableException e) {
      kafkaGone = true;
      health.failed(e);
      LOG.error("{}; offsets stay at the last committed message", e.getMessage());
    } catch (Throwable t) {
      health.failed(t);
      LOG.error("the worker stopped on an error; offsets stay at the last stored message", t);
    } finally {
      closeClients();
      health.stopped();
      stopped.countDown();
    }
  }

  /** Asks the loop to finish: it completes or abandons the current batch, commits and closes. */
  public void stop() {
    running = false;
    health.stopping();
    stopRequested.countDown();
  }

  /** Waits until {@link #run()} has returned; false on timeout. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The error that ended the loop, if one did. */
  public Throwable failure() {
    return health.failure();
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
  public Liveness liveness() {
    return health.liveness();
  }

  /** Readiness: in the group, Kafka answering, MongoDB writable. */
  public Readiness readiness() {
    return health.readiness();
  }

  // ---- the loop, in steps a test can drive one at a time

  /** Creates the indexes (waiting for MongoDB as long as it takes) and subscribes. */
  void start() throws InterruptedException {
    ensureIndexes();
    consumer.subscribe(List.of(config.kafka().topic()), new Rebalance());
    LOG.info(
        "consuming {} as {} in group {}",
        config.kafka().topic(),
        config.kafka().instanceId(),
        config.kafka().groupId());
  }

  /**
   * One round of the loop: take up finished writes, start due ones, commit, poll, and make sure
   * Kafka still answers.
   *
   * @throws KafkaUnreachableException when Kafka has not answered for the outage limit
   */
  void step() {
    health.loopCameRound();
    writeWhatIsDue(false);
    commits.commitIfDue(!writes.hasBatch() && pending.isEmpty() && lastPollEmpty);
    poll();
    contact.check();
    health.kafkaUnreachable(contact.unreachable());
  }

  /** Stores what is already read as far as no retry wait is needed, and commits it. */
  void finish() {
    LOG.info("stopping: finishing the current batch");
    // A batch that has to wait is abandoned; its messages are read again after the restart.
    writeWhatIsDue(true);
    if (writes.hasBatch()) {
      LOG.info("abandoning a batch of {} messages: it waits for a retry", writes.abandon());
    }
    commits.commitAll();
  }

  private void ensureIndexes() throws InterruptedException {
    int failures = 0;
    while (running) {
      health.loopCameRound();
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
    while (writes.collect(finishing)) {
      if (!writes.hasBatch()) {
        if (!pending.ready(finishing, lastPollEmpty)) {
          break;
        }
        writes.start(pending.takeBatch());
      }
      List<InboundMessage> resolved = writes.completeIfDone();
      if (resolved != null) {
        for (InboundMessage message : resolved) {
          commits.resolved(message.topicPartition(), message.offset());
        }
        continue;
      }
      if (!writes.attemptIfDue()) {
        break;
      }
    }
    health.storeOutage(writes.storeOutage());
  }

  // ---- consuming

  private void poll() {
    Duration timeout;
    if (writes.waitingToRetry()) {
      // Waiting to retry a write: take no more messages but stay a live member of the group.
      pause(consumer.assignment());
      timeout = min(writes.waitingTime(), MAX_POLL_WAIT);
    } else if (writes.writing()) {
      // A write is on its way. With a batch read ahead, wait for the write rather than poll more
      // (pausing would drop what the consumer has prefetched); otherwise take what has arrived.
      if (pending.full()) {
        writes.awaitWrite(MAX_POLL_WAIT);
        return;
      }
      resume();
      timeout = Duration.ZERO;
    } else {
      resume();
      timeout = pending.isEmpty() ? MAX_POLL_WAIT : min(pending.lingerLeft(), MAX_POLL_WAIT);
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    // Only a poll that waited and found nothing says the stream is quiet (write a partial batch,
    // commit now); a poll that did not wait may just have come before the next fetch.
    lastPollEmpty = records.isEmpty() && !timeout.isZero();
    if (!records.isEmpty()) {
      contact.heard();
    }
    if (records.isEmpty() && writes.writing()) {
      writes.awaitWrite(WRITE_CHECK);
    }
    long receivedAt = clock.millis();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      MappedValue mapped =
          mapper.map(
              record.topic(), record.partition(), record.offset(), record.value(), receivedAt);
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

  // ---- shutting down

  private void closeClients() {
    CloseOptions.GroupMembershipOperation membership =
        config.kafka().leaveGroupOnShutdown()
            ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
            : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
    Duration timeout = kafkaGone ? CLOSE_TIMEOUT_KAFKA_GONE : CLOSE_TIMEOUT;
    closeQuietly(
        "consumer",
        () ->
            consumer.close(CloseOptions.groupMembershipOperation(membership).withTimeout(timeout)));
    closeQuietly("dead-letter producer", () -> deadLetters.close(timeout));
    writes.close();
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
      health.joined();
      contact.heard();
      if (!partitions.isEmpty()) {
        rebalanceCallbacks.incrementAndGet();
        LOG.info("assigned {}", partitions);
      }
      if (writes.hasBatch()) {
        pause(new HashSet<>(partitions));
      }
      assignment = Set.copyOf(consumer.assignment());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      rebalanceCallbacks.incrementAndGet();
      LOG.info("revoked {}", partitions);
      drop(partitions);
      if (kafkaGone) {
        commits.forget(partitions); // a commit would only wait for its timeout
      } else {
        commits.commitAndForget(partitions);
      }
      assignment = assignmentWithout(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      rebalanceCallbacks.incrementAndGet();
      LOG.warn(
          "lost {}; their uncommitted messages will be read again by the new owner", partitions);
      drop(partitions);
      commits.forget(partitions);
      assignment = assignmentWithout(partitions);
    }

    /** Forgets unresolved messages of partitions that are no longer ours. */
    private void drop(Collection<TopicPartition> partitions) {
      Set<TopicPartition> gone = new HashSet<>(partitions);
      writes.discard(gone);
      pending.drop(gone);
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
