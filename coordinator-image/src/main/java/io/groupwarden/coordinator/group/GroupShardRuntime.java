package io.groupwarden.coordinator.group;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.runtime.LogCompaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link GroupCoordinatorShard} on its own thread: every request and timer of the shard's
 * groups runs there, so group state needs no locks. Records a handler returns are appended to the
 * shard's log; the response leaves, and the records are replayed, once they are durable.
 */
final class GroupShardRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupShardRuntime.class);

  private final ExecutorService executor;
  private final ScheduledExecutorService timers;
  private final GroupCoordinatorShard shard;
  private final FsyncBatcher fsync;
  private final LogCompaction<Snapshot> compaction;
  private final Path dir;
  private GroupLog log;
  // Set on the shard thread when its log is replayed; requests queued behind a failed load are
  // refused instead of being answered from partial state.
  private boolean loaded;

  GroupShardRuntime(int index, Path dir, ShardResources shared) {
    this.dir = dir;
    this.fsync = shared.fsync();
    // A plain queue for the shard's work; timers live on a shared scheduler and only hop onto the
    // shard when they fire, so requests do not pay for a heap of thousands of session timers.
    this.executor = DaemonThreads.single("group-shard-" + index);
    this.compaction = new LogCompaction<>("group", executor, shared.background(), fsync);
    this.timers = shared.timers();
    ExecutorTimer timer = new ExecutorTimer(timers, executor, task -> persist(task.run(), null));
    this.shard =
        new GroupCoordinatorShard(
            shared.config(), shared.clock(), timer, shared.metrics(), shared.topics());
  }

  /**
   * Starts loading the shard's state from its log on the shard's thread; shards load in parallel.
   * Completes once it can serve.
   */
  CompletableFuture<Void> load() {
    return CompletableFuture.runAsync(
        () -> {
          shard.startLoading();
          try {
            log = GroupLog.open(dir, shard);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot load group shard " + dir, e);
          }
          shard.finishLoading();
          loaded = true;
        },
        executor);
  }

  /** Periodic work of a loaded shard: statistics, offset retention, log compaction. */
  void startMaintenance(long retentionCheckMs) {
    every(1_000, shard::refreshStats);
    every(retentionCheckMs, () -> persist(shard.expireOffsets(), null));
    every(
        10_000,
        () ->
            compaction.maybeCompact(
                log,
                log::needsCompaction,
                log::roll,
                () -> new Snapshot(shard.snapshot(), shard.pendingSnapshot()),
                (generation, snapshot) ->
                    log.writeSnapshot(generation, snapshot.state(), snapshot.pending())));
  }

  private void every(long periodMs, Runnable task) {
    timers.scheduleWithFixedDelay(
        () -> executor.execute(task), periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  GroupCoordinatorShard shard() {
    return shard;
  }

  /**
   * Runs a handler on the shard thread; completes with its response once its records are durable.
   */
  <T> CompletableFuture<T> write(Function<GroupCoordinatorShard, CoordinatorResult<T>> handler) {
    return writeTransactional(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, handler);
  }

  /**
   * Runs a handler whose records belong to the producer's transaction (TxnOffsetCommit): they are
   * written in its transactional batch and count once its commit marker is written.
   */
  <T> CompletableFuture<T> writeTransactional(
      long producerId,
      short producerEpoch,
      Function<GroupCoordinatorShard, CoordinatorResult<T>> handler) {
    CompletableFuture<T> response = new CompletableFuture<>();
    whenLoaded(response, () -> persist(handler.apply(shard), response, producerId, producerEpoch));
    return response;
  }

  /**
   * Writes the transaction coordinator's marker for the producer: its pending offsets in this shard
   * are committed or dropped once the marker is durable.
   */
  CompletableFuture<Void> completeTransaction(
      long producerId, short producerEpoch, boolean commit) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    whenLoaded(
        done,
        () ->
            enqueue(
                new Unpersisted<>(
                    CoordinatorResult.of(null), done, producerId, producerEpoch, commit)));
    return done;
  }

  /** Runs a read-only query on the shard thread. */
  <T> CompletableFuture<T> read(Function<GroupCoordinatorShard, T> query) {
    CompletableFuture<T> response = new CompletableFuture<>();
    whenLoaded(response, () -> response.complete(query.apply(shard)));
    return response;
  }

  /**
   * Runs a request's work on the shard thread, or refuses it (failing {@code response}) when the
   * shard's log could not be loaded; a handler that throws fails the response.
   */
  private void whenLoaded(CompletableFuture<?> response, Runnable work) {
    executor.execute(
        () -> {
          if (!loaded) {
            response.completeExceptionally(notLoaded());
            return;
          }
          try {
            work.run();
          } catch (RuntimeException e) {
            LOG.error("group handler failed", e);
            response.completeExceptionally(e);
          }
        });
  }

  private CoordinatorNotAvailableException notLoaded() {
    return new CoordinatorNotAvailableException("group shard " + dir + " could not be loaded");
  }

  /**
   * A handler's result waiting for its records to be written and made durable: written outside
   * transactions ({@code producerId} -1), in a producer's transaction, or, with {@code marker} set,
   * the marker that ends one (commit when true).
   */
  private record Unpersisted<T>(
      CoordinatorResult<T> result,
      CompletableFuture<T> response,
      long producerId,
      short producerEpoch,
      Boolean marker) {
    Unpersisted(CoordinatorResult<T> result, CompletableFuture<T> response) {
      this(result, response, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, null);
    }

    void fail(Throwable error) {
      if (response != null) {
        response.completeExceptionally(error);
      }
    }

    void done(GroupCoordinatorShard shard) {
      if (marker != null) {
        shard.replayEndTransactionMarker(producerId, marker);
      } else {
        result.records().forEach(r -> shard.replay(producerId, r));
      }
      result.afterPersist().run();
      if (response != null) {
        response.complete(result.response());
      }
    }

    /** True when it can be written in the same batch as {@code other}. */
    boolean sameBatchAs(Unpersisted<?> other) {
      return marker == null
          && other.marker == null
          && producerId == other.producerId
          && producerEpoch == other.producerEpoch;
    }
  }

  private final List<Unpersisted<?>> unwritten = new ArrayList<>();
  private boolean writeQueued;

  private <T> void persist(CoordinatorResult<T> result, CompletableFuture<T> response) {
    persist(result, response, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
  }

  private <T> void persist(
      CoordinatorResult<T> result,
      CompletableFuture<T> response,
      long producerId,
      short producerEpoch) {
    Unpersisted<T> entry = new Unpersisted<>(result, response, producerId, producerEpoch, null);
    if (result.records().isEmpty()) {
      entry.done(shard);
      return;
    }
    enqueue(entry);
  }

  private void enqueue(Unpersisted<?> entry) {
    // Results that arrive while this shard's queue is busy are written with one append and made
    // durable with one fsync request: the write runs after the tasks already queued.
    unwritten.add(entry);
    if (!writeQueued) {
      writeQueued = true;
      executor.execute(this::writeUnwritten);
    }
  }

  private void writeUnwritten() {
    writeQueued = false;
    List<Unpersisted<?>> batch = new ArrayList<>(unwritten);
    unwritten.clear();
    try {
      // consecutive results of the same kind share a batch: one write for many commits
      for (int from = 0; from < batch.size(); ) {
        Unpersisted<?> first = batch.get(from);
        int to = from + 1;
        while (to < batch.size() && batch.get(to).sameBatchAs(first)) {
          to++;
        }
        if (first.marker() != null) {
          log.appendMarker(first.producerId(), first.producerEpoch(), first.marker());
        } else {
          List<GroupRecord> records = new ArrayList<>();
          batch.subList(from, to).forEach(u -> records.addAll(u.result().records()));
          log.appendTransactional(first.producerId(), first.producerEpoch(), records);
        }
        from = to;
      }
    } catch (IOException e) {
      LOG.error("cannot write group records", e);
      batch.forEach(u -> u.fail(new CoordinatorNotAvailableException("group log write failed")));
      return;
    }
    fsync
        .sync(log)
        .whenComplete(
            (ok, error) ->
                executor.execute(
                    () -> {
                      for (Unpersisted<?> u : batch) {
                        if (error != null) {
                          u.fail(new CoordinatorNotAvailableException("group log fsync failed"));
                        } else {
                          u.done(shard);
                        }
                      }
                    }));
  }

  /** The state a compaction snapshots: the groups' records and open transactions' offsets. */
  private record Snapshot(List<GroupRecord> state, Map<Long, List<GroupRecord>> pending) {}

  @Override
  public void close() {
    try {
      DaemonThreads.stopThenClose(executor, log);
    } catch (IOException e) {
      LOG.warn("closing group log", e);
    }
  }
}
