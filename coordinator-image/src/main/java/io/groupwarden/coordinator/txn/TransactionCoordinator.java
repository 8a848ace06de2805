package io.groupwarden.coordinator.txn;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link TransactionCoordinatorShard} on its own thread, with its durable log in {@code
 * transactions/}. A handler's transactions are appended and made durable before the answer leaves
 * and before they take effect; a transaction that ends has its decision (PrepareCommit or
 * PrepareAbort) made durable, then its markers written, then its completion.
 *
 * <p>Each transactional id runs one thing at a time: while its write or its markers are in flight,
 * its next requests wait in a queue (where Kafka answers CONCURRENT_TRANSACTIONS and the producer
 * retries). So the first Produce of the next transaction waits for the markers of the last one, and
 * a producer's requests take effect in the order they arrived.
 *
 * <p>After a crash the log says where every transaction was: a decided one gets its markers written
 * again (a partition that has it already ignores the repeat) and completes; an open one stays open
 * until its producer ends it, a new producer takes over the id, or its timeout aborts it.
 */
public final class TransactionCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
  private static final long MARKER_RETRY_MS = 1_000;
  private static final long EXPIRY_CHECK_MS = 3_600_000;

  private final TransactionConfig config;
  private final TransactionCoordinatorShard shard;
  private final FsyncBatcher fsync;
  private final TransactionMarkers markers;
  private final TransactionMetrics metrics;
  private final ExecutorService executor = DaemonThreads.single("transaction-coordinator");
  private final ScheduledExecutorService timers = DaemonThreads.scheduled("transaction-timers");
  private final Set<String> busy = new HashSet<>();
  private final Map<String, ArrayDeque<Op<?>>> waiting = new HashMap<>();
  private TransactionLog log;
  private volatile int openCount;
  private volatile boolean closed;

  /**
   * A request for one transactional id, with where its answer goes; {@code onDone} runs when a
   * transaction it ended is complete.
   */
  private record Op<T>(
      Function<TransactionCoordinatorShard, TxnResult<T>> handler,
      CompletableFuture<T> response,
      Runnable onDone) {}

  private TransactionCoordinator(
      TransactionConfig config,
      LongSupplier clock,
      LongSupplier producerIds,
      FsyncBatcher fsync,
      TransactionMarkers markers,
      TransactionMetrics metrics) {
    this.config = config;
    this.shard = new TransactionCoordinatorShard(config, clock, producerIds);
    this.fsync = fsync;
    this.markers = markers;
    this.metrics = metrics;
  }

  /**
   * Replays the log in {@code dir}, resumes the transactions that were being ended, and starts the
   * timers. Call once the partitions and group shards the markers go to can take them.
   */
  public static TransactionCoordinator start(
      Path dir,
      TransactionConfig config,
      LongSupplier clock,
      LongSupplier producerIds,
      FsyncBatcher fsync,
      TransactionMarkers markers,
      TransactionMetrics metrics)
      throws IOException {
    TransactionCoordinator coordinator =
        new TransactionCoordinator(config, clock, producerIds, fsync, markers, metrics);
    try {
      coordinator.executor.submit(() -> coordinator.load(dir)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      coordinator.close();
      throw new IOException("interrupted while loading the transaction log", e);
    } catch (java.util.concurrent.ExecutionException e) {
      coordinator.close();
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    coordinator.every(config.abortTimedOutIntervalMs(), coordinator::abortTimedOut);
    coordinator.every(EXPIRY_CHECK_MS, coordinator::expireTransactionalIds);
    coordinator.every(10_000, () -> coordinator.log.maybeCompact());
    return coordinator;
  }

  private Void load(Path dir) throws IOException {
    log = TransactionLog.open(dir, shard, fsync, executor, timers);
    int resumed = 0;
    for (Transaction txn : shard.all()) {
      if (txn.state() == TransactionState.PREPARE_COMMIT
          || txn.state() == TransactionState.PREPARE_ABORT) {
        busy.add(txn.transactionalId());
        writeMarkersThenComplete(txn, () -> release(txn.transactionalId()));
        resumed++;
      }
    }
    openCount = shard.openCount();
    LOG.info(
        "transaction log loaded: {} transactional ids, {} transactions open, {} being completed",
        shard.all().size(),
        openCount,
        resumed);
    if (!log.cleanShutdown()) {
      for (Transaction txn : shard.all()) {
        if (txn.state() == TransactionState.ONGOING) {
          LOG.info(
              "{}: the broker stopped without closing its logs; aborting the transaction it had"
                  + " open",
              txn.transactionalId());
          perTransaction(txn.transactionalId(), s -> s.abortAfterCrash(txn.transactionalId()));
        }
      }
    }
    return null;
  }

  /**
   * Records that the broker stopped cleanly: called once every partition log is closed, so the
   * records of open transactions are on disk and they stay open for their producers.
   */
  public static void markCleanShutdown(Path dir) {
    TransactionLog.markCleanShutdown(dir);
  }

  private void every(long periodMs, Runnable task) {
    timers.scheduleWithFixedDelay(
        () -> executor.execute(task), periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- requests

  public CompletableFuture<InitProducerIdResponseData> initProducerId(
      String transactionalId, int timeoutMs, long producerId, short epoch) {
    return perTransaction(
        transactionalId, s -> s.initProducerId(transactionalId, timeoutMs, producerId, epoch));
  }

  public CompletableFuture<Errors> addPartitions(
      String transactionalId,
      long producerId,
      short epoch,
      Set<TopicPartition> partitions,
      short version) {
    return perTransaction(
        transactionalId,
        s -> s.addPartitions(transactionalId, producerId, epoch, partitions, version));
  }

  public CompletableFuture<Map<TopicPartition, Errors>> verifyPartitions(
      String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions) {
    return perTransaction(
        transactionalId,
        s -> TxnResult.of(s.verifyPartitions(transactionalId, producerId, epoch, partitions)));
  }

  public CompletableFuture<EndTxnResponseData> endTxn(
      String transactionalId, long producerId, short epoch, boolean commit, short version) {
    return perTransaction(
        transactionalId, s -> s.endTxn(transactionalId, producerId, epoch, commit, version));
  }

  public CompletableFuture<DescribeTransactionsResponseData.TransactionState> describe(
      String transactionalId) {
    return query(s -> s.describe(transactionalId));
  }

  public CompletableFuture<ListTransactionsResponseData> list(
      List<String> states, List<Long> producerIds, long minDurationMs, String idPattern) {
    return query(s -> s.list(states, producerIds, minDurationMs, idPattern));
  }

  /** Transactions begun and not yet complete (read by the metrics). */
  public int openTransactions() {
    return openCount;
  }

  private <T> CompletableFuture<T> query(Function<TransactionCoordinatorShard, T> query) {
    CompletableFuture<T> response = new CompletableFuture<>();
    if (closed) {
      response.completeExceptionally(stopping());
      return response;
    }
    executor.execute(
        () -> {
          try {
            response.complete(query.apply(shard));
          } catch (RuntimeException e) {
            response.completeExceptionally(e);
          }
        });
    return response;
  }

  private <T> CompletableFuture<T> perTransaction(
      String transactionalId, Function<TransactionCoordinatorShard, TxnResult<T>> handler) {
    return perTransaction(transactionalId, handler, () -> {});
  }

  private <T> CompletableFuture<T> perTransaction(
      String transactionalId,
      Function<TransactionCoordinatorShard, TxnResult<T>> handler,
      Runnable onDone) {
    CompletableFuture<T> response = new CompletableFuture<>();
    if (closed) {
      response.completeExceptionally(stopping());
      return response;
    }
    Op<T> op = new Op<>(handler, response, onDone);
    executor.execute(
        () -> {
          if (busy.contains(transactionalId)) {
            waiting.computeIfAbsent(transactionalId, id -> new ArrayDeque<>()).add(op);
          } else {
            execute(transactionalId, op);
          }
        });
    return response;
  }

  /** Runs a request of an idle transactional id (on the coordinator thread). */
  private <T> void execute(String transactionalId, Op<T> op) {
    TxnResult<T> result;
    try {
      result = op.handler().apply(shard);
    } catch (RuntimeException e) {
      LOG.error("transaction handler failed for {}", transactionalId, e);
      op.response().completeExceptionally(e);
      return;
    }
    if (result.records().isEmpty()) {
      op.response().complete(result.response());
      return;
    }
    busy.add(transactionalId);
    Transaction deciding = result.markersFor();
    // A commit is decided only over durable records: the partitions are synced first.
    CompletableFuture<Void> flushed =
        deciding != null && deciding.state() == TransactionState.PREPARE_COMMIT
            ? flush(deciding.partitions())
            : CompletableFuture.completedFuture(null);
    flushed.whenComplete(
        (ok, error) ->
            executor.execute(
                () -> {
                  if (error != null) {
                    LOG.error("cannot sync the partitions of {}", transactionalId, error);
                    op.response()
                        .completeExceptionally(
                            new CoordinatorNotAvailableException(
                                "the transaction's records could not be made durable"));
                    release(transactionalId);
                  } else {
                    persistAndEnd(transactionalId, op, result);
                  }
                }));
  }

  private CompletableFuture<Void> flush(Set<TopicPartition> partitions) {
    try {
      return markers.flush(partitions);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Persists a handler's transactions, answers, and writes the markers of one that ends. */
  private <T> void persistAndEnd(String transactionalId, Op<T> op, TxnResult<T> result) {
    persist(
        result.records(),
        () -> {
          Transaction ending = result.markersFor();
          if (ending == null) {
            op.response().complete(result.response());
            release(transactionalId);
            return;
          }
          if (!result.retryAfterCompletion()) {
            op.response().complete(result.response());
          }
          writeMarkersThenComplete(
              ending,
              () -> {
                if (result.retryAfterCompletion()) {
                  // the old producer's transaction is aborted: now the request itself
                  waiting.computeIfAbsent(transactionalId, id -> new ArrayDeque<>()).addFirst(op);
                } else {
                  op.onDone().run();
                }
                release(transactionalId);
              });
        },
        error -> {
          op.response().completeExceptionally(error);
          release(transactionalId);
        });
  }

  /** The transactional id is idle again: its waiting requests run, until one makes it busy. */
  private void release(String transactionalId) {
    busy.remove(transactionalId);
    ArrayDeque<Op<?>> queue = waiting.get(transactionalId);
    while (queue != null && !queue.isEmpty() && !busy.contains(transactionalId)) {
      execute(transactionalId, queue.poll());
    }
    if (queue != null && queue.isEmpty()) {
      waiting.remove(transactionalId);
    }
  }

  /**
   * Appends transactions to the log; once durable they are replayed and {@code then} runs, on the
   * coordinator thread.
   */
  private void persist(
      List<Transaction> records, Runnable then, Consumer<RuntimeException> failed) {
    log.append(
        records,
        () -> {
          openCount = shard.openCount();
          then.run();
        },
        failed);
  }

  /**
   * Writes the markers of a decided transaction, retrying until they are durable, then persists its
   * completion and runs {@code then} (on the coordinator thread).
   */
  private void writeMarkersThenComplete(Transaction prepared, Runnable then) {
    boolean commit = prepared.state() == TransactionState.PREPARE_COMMIT;
    CompletableFuture<Void> written;
    try {
      written =
          prepared.partitions().isEmpty()
              ? CompletableFuture.completedFuture(null)
              : markers.write(
                  prepared.producerId(), prepared.producerEpoch(), commit, prepared.partitions());
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete(
        (ok, error) ->
            executor.execute(
                () -> {
                  if (closed) {
                    return;
                  }
                  if (error != null) {
                    LOG.warn(
                        "markers of {} could not be written ({}); retrying",
                        prepared.transactionalId(),
                        error.toString());
                    timers.schedule(
                        () -> executor.execute(() -> writeMarkersThenComplete(prepared, then)),
                        MARKER_RETRY_MS,
                        TimeUnit.MILLISECONDS);
                    return;
                  }
                  persist(
                      shard.complete(prepared.transactionalId()).records(),
                      () -> {
                        if (commit) {
                          metrics.committed();
                        } else {
                          metrics.aborted();
                        }
                        then.run();
                      },
                      failure ->
                          timers.schedule(
                              () ->
                                  executor.execute(() -> writeMarkersThenComplete(prepared, then)),
                              MARKER_RETRY_MS,
                              TimeUnit.MILLISECONDS));
                }));
  }

  // ---------------------------------------------------------------- timers

  private void abortTimedOut() {
    for (String transactionalId : shard.timedOut()) {
      if (busy.contains(transactionalId)) {
        continue;
      }
      LOG.info("transaction of {} outlived its timeout: aborting it", transactionalId);
      perTransaction(transactionalId, s -> s.abortTimedOut(transactionalId), metrics::timedOut);
    }
  }

  private void expireTransactionalIds() {
    for (String transactionalId : shard.expiredTransactionalIds()) {
      perTransaction(transactionalId, s -> s.expire(transactionalId));
    }
  }

  private static CoordinatorNotAvailableException stopping() {
    return new CoordinatorNotAvailableException("the transaction coordinator is stopping");
  }

  public TransactionConfig config() {
    return config;
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    try {
      DaemonThreads.stopThenClose(executor, log);
    } catch (IOException e) {
      LOG.warn("closing the transaction log", e);
    }
  }
}
