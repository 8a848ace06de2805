package io.groupwarden.operator.lag;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.operator.lag.RecordTimeReader.RecordAt;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Record timestamps read for every resource of a cluster with one consumer and one batched fetch:
 * the records the resources ask for while a fetch runs are read together by the next one. Reading
 * never fails the caller: what could not be read in time is left out, as {@link RecordTimeReader}
 * does.
 */
public final class SharedRecordReads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedRecordReads.class);

  private final RecordTimeReader reader;
  private final Duration waitLimit;
  private final Map<KafkaConnection, ClusterRecords> clusters = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private final AtomicLong fetches = new AtomicLong();

  /**
   * @param timeout how long one batched read may take
   */
  public SharedRecordReads(Duration timeout) {
    this.reader = new RecordTimeReader(timeout);
    // a request may wait for the read under way and then its own
    this.waitLimit = timeout.multipliedBy(3);
    this.executor =
        Executors.newCachedThreadPool(DaemonThreads.numbered("groupwarden-record-reads"));
  }

  /**
   * The timestamps of the wanted records that could be read.
   *
   * @param consumer the cluster's record reader (a consumer without subscriptions), used by one
   *     read at a time
   */
  public Map<RecordAt, Long> timestamps(
      KafkaConnection connection,
      Supplier<Consumer<byte[], byte[]>> consumer,
      Set<RecordAt> wanted) {
    if (wanted.isEmpty()) {
      return Map.of();
    }
    Map<RecordAt, Long> read =
        clusters.computeIfAbsent(connection, c -> new ClusterRecords()).read(consumer, wanted);
    Map<RecordAt, Long> mine = new HashMap<>();
    for (RecordAt record : wanted) {
      Long time = read.get(record);
      if (time != null) {
        mine.put(record, time);
      }
    }
    return mine;
  }

  /** How many batched reads have run, for tests and benchmarks. */
  public long fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private final class ClusterRecords {
    private Set<RecordAt> pending = new HashSet<>();
    private CompletableFuture<Map<RecordAt, Long>> next;
    private boolean running;
    private Supplier<Consumer<byte[], byte[]>> consumer;

    Map<RecordAt, Long> read(Supplier<Consumer<byte[], byte[]>> consumer, Set<RecordAt> wanted) {
      CompletableFuture<Map<RecordAt, Long>> awaited;
      synchronized (this) {
        this.consumer = consumer;
        pending.addAll(wanted);
        if (next == null) {
          next = new CompletableFuture<>();
        }
        awaited = next;
        if (!running) {
          startNext();
        }
      }
      try {
        return awaited.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        LOG.debug("No record timestamps: {}", e.toString());
        return Map.of();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Map.of();
      }
    }

    /** Holds the lock. */
    private void startNext() {
      Set<RecordAt> batch = pending;
      CompletableFuture<Map<RecordAt, Long>> done = next;
      Supplier<Consumer<byte[], byte[]>> source = consumer;
      pending = new HashSet<>();
      next = null;
      running = true;
      try {
        executor.execute(() -> fetch(source, batch, done));
      } catch (RuntimeException e) { // closed
        running = false;
        done.complete(Map.of());
      }
    }

    private void fetch(
        Supplier<Consumer<byte[], byte[]>> source,
        Set<RecordAt> batch,
        CompletableFuture<Map<RecordAt, Long>> done) {
      fetches.incrementAndGet();
      Map<RecordAt, Long> read = Map.of();
      try {
        read = reader.timestamps(source.get(), batch);
      } catch (RuntimeException e) {
        LOG.debug("Cannot read the oldest unconsumed records: {}", e.toString());
      } finally {
        synchronized (this) {
          running = false;
          if (next != null) {
            startNext();
          }
        }
        done.complete(read);
      }
    }
  }
}
