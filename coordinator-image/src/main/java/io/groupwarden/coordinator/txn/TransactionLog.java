package io.groupwarden.coordinator.txn;

import io.groupwarden.coordinator.log.AtomicFiles;
import io.groupwarden.coordinator.log.CoordinatorLog;
import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.runtime.LogCompaction;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator's durable log in {@code transactions/}: replayed into the shard at
 * start, appended to and made durable before a change takes effect, compacted now and then, and
 * marked when the broker stops cleanly. Used on the coordinator's thread.
 */
final class TransactionLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionLog.class);

  /** Written when the broker stopped after closing every log; its absence means a crash. */
  static final String CLEAN_SHUTDOWN = "clean-shutdown";

  private final CoordinatorLog log;
  private final boolean cleanShutdown;
  private final TransactionCoordinatorShard shard;
  private final FsyncBatcher fsync;
  private final Executor owner;
  private final LogCompaction<List<SimpleRecord>> compaction;

  private TransactionLog(
      CoordinatorLog log,
      boolean cleanShutdown,
      TransactionCoordinatorShard shard,
      FsyncBatcher fsync,
      Executor owner,
      Executor background) {
    this.log = log;
    this.cleanShutdown = cleanShutdown;
    this.shard = shard;
    this.fsync = fsync;
    this.owner = owner;
    this.compaction = new LogCompaction<>("transaction", owner, background, fsync);
  }

  /**
   * Opens the log in {@code dir} and replays it into {@code shard}; {@code owner} is the thread the
   * shard lives on, {@code background} where compaction snapshots are written.
   */
  static TransactionLog open(
      Path dir,
      TransactionCoordinatorShard shard,
      FsyncBatcher fsync,
      Executor owner,
      Executor background)
      throws IOException {
    Files.createDirectories(dir);
    boolean clean = Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN));
    AtomicFiles.syncDirectory(dir);
    CoordinatorLog log =
        CoordinatorLog.open(
            dir,
            (producerId, record) -> {
              String id = TransactionRecords.readKey(record.key());
              if (record.hasValue()) {
                shard.replay(TransactionRecords.readValue(id, record.value()));
              } else {
                shard.forget(id);
              }
            });
    return new TransactionLog(log, clean, shard, fsync, owner, background);
  }

  /**
   * Whether the broker stopped cleanly before this start (else the transactions it had open die).
   */
  boolean cleanShutdown() {
    return cleanShutdown;
  }

  /**
   * Records that the broker stopped cleanly: called once every partition log is closed, so the
   * records of open transactions are on disk and they stay open for their producers.
   */
  static void markCleanShutdown(Path dir) {
    try {
      Files.writeString(dir.resolve(CLEAN_SHUTDOWN), "");
      AtomicFiles.syncDirectory(dir);
    } catch (IOException e) {
      LOG.warn("cannot mark the clean shutdown in {}", dir, e);
    }
  }

  /**
   * Appends transactions; once durable they are replayed and {@code then} runs, on the owning
   * thread. If they cannot be made durable, {@code failed} runs instead.
   */
  void append(List<Transaction> records, Runnable then, Consumer<RuntimeException> failed) {
    try {
      log.append(encode(records));
    } catch (IOException e) {
      LOG.error("cannot write the transaction log", e);
      failed.accept(new CoordinatorNotAvailableException("transaction log write failed"));
      return;
    }
    fsync
        .sync(log)
        .whenComplete(
            (ok, error) ->
                owner.execute(
                    () -> {
                      if (error != null) {
                        LOG.error("transaction log fsync failed", error);
                        failed.accept(
                            new CoordinatorNotAvailableException("transaction log fsync failed"));
                        return;
                      }
                      records.forEach(shard::replay);
                      then.run();
                    }));
  }

  private static List<SimpleRecord> encode(Iterable<Transaction> transactions) {
    List<SimpleRecord> encoded = new ArrayList<>();
    for (Transaction txn : transactions) {
      encoded.add(
          new SimpleRecord(
              TransactionRecords.key(txn.transactionalId()), TransactionRecords.value(txn)));
    }
    return encoded;
  }

  /** Starts a compaction if the log has grown enough and none is running. */
  void maybeCompact() {
    compaction.maybeCompact(
        log, log::needsCompaction, log::roll, () -> encode(shard.all()), log::writeSnapshot);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
