package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable history of a coordinator's state (a group shard's, the transaction coordinator's):
 * records in Kafka record batches, so each append carries a CRC and a torn tail is detected, in
 * files {@code log-N.log}. Like Kafka's {@code __consumer_offsets}, records may be written in a
 * transaction (a transactional batch of a producer) and a marker (a control batch) commits or
 * aborts them.
 *
 * <p>Compaction without stopping the coordinator: the log rolls to {@code log-N+1}, the state as of
 * the end of {@code log-N} is written in the background to {@code snapshot-N+1}, and once that is
 * durable the older files are deleted. Start-up replays the newest complete snapshot and every log
 * from its generation on.
 */
public final class CoordinatorLog implements FsyncBatcher.Durable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLog.class);
  private static final long MIN_COMPACTION_BYTES = 64L << 20;

  /** Receives what a log holds, in order, while it is opened. */
  public interface Replayer {
    /**
     * A record; {@code producerId} is the transaction's producer for a record written in one,
     * {@link RecordBatch#NO_PRODUCER_ID} otherwise.
     */
    void record(long producerId, Record record) throws IOException;

    /** The marker that ends the producer's transaction. */
    default void marker(long producerId, boolean commit) {}
  }

  private final Path dir;
  private final long minCompactionBytes;
  private volatile FileRecords active;
  private int generation;
  private long nextOffset;
  private long bytesSinceSnapshot;
  private volatile long snapshotBytes;

  private CoordinatorLog(Path dir, long minCompactionBytes) {
    this.dir = dir;
    this.minCompactionBytes = minCompactionBytes;
  }

  public static CoordinatorLog open(Path dir, Replayer replay) throws IOException {
    return open(dir, replay, MIN_COMPACTION_BYTES);
  }

  /**
   * @param minCompactionBytes written bytes (at least) after which compaction is due
   */
  public static CoordinatorLog open(Path dir, Replayer replay, long minCompactionBytes)
      throws IOException {
    Files.createDirectories(dir);
    CoordinatorLog log = new CoordinatorLog(dir, minCompactionBytes);
    TreeSet<Integer> snapshots = new TreeSet<>();
    TreeSet<Integer> logs = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.delete(file);
        } else if (name.startsWith("snapshot-") && name.endsWith(".log")) {
          snapshots.add(Integer.parseInt(name.substring(9, name.length() - 4)));
        } else if (name.startsWith("log-") && name.endsWith(".log")) {
          logs.add(Integer.parseInt(name.substring(4, name.length() - 4)));
        }
      }
    }
    int base = snapshots.isEmpty() ? 0 : snapshots.last();
    if (!snapshots.isEmpty()) {
      log.snapshotBytes = Files.size(snapshotFile(dir, base));
      read(snapshotFile(dir, base), replay);
    }
    for (int g : logs.tailSet(base)) {
      read(logFile(dir, g), replay);
    }
    for (int g : snapshots.headSet(base)) {
      Files.deleteIfExists(snapshotFile(dir, g));
    }
    for (int g : logs.headSet(base)) {
      Files.deleteIfExists(logFile(dir, g));
    }
    log.generation = logs.tailSet(base).isEmpty() ? base : logs.last();
    log.active = FileRecords.open(logFile(dir, log.generation).toFile());
    log.bytesSinceSnapshot = log.active.sizeInBytes();
    return log;
  }

  private static Path logFile(Path dir, int generation) {
    return dir.resolve("log-" + generation + ".log");
  }

  private static Path snapshotFile(Path dir, int generation) {
    return dir.resolve("snapshot-" + generation + ".log");
  }

  /** Replays the valid batches of a file and cuts off a torn or corrupt tail. */
  private static void read(Path file, Replayer replay) throws IOException {
    try (FileRecords records = FileRecords.open(file.toFile())) {
      int valid = 0;
      Iterator<FileChannelRecordBatch> batches = records.batches().iterator();
      try {
        while (batches.hasNext()) {
          FileChannelRecordBatch batch = batches.next();
          if (!batch.isValid()) {
            break;
          }
          replayBatch(batch, replay);
          valid += batch.sizeInBytes();
        }
      } catch (KafkaException e) {
        LOG.warn("{}: unreadable batch at {}: {}", file, valid, e.getMessage());
      }
      if (valid < records.sizeInBytes()) {
        LOG.warn(
            "{}: cutting {} bytes of torn or corrupt tail", file, records.sizeInBytes() - valid);
        records.truncateTo(valid);
        records.flush();
      }
    }
  }

  private static void replayBatch(RecordBatch batch, Replayer replay) throws IOException {
    if (batch.isControlBatch()) {
      Record first = batch.iterator().next();
      ControlRecordType type = ControlRecordType.parse(first.key());
      if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
        replay.marker(batch.producerId(), type == ControlRecordType.COMMIT);
      }
      return;
    }
    long producerId = batch.isTransactional() ? batch.producerId() : RecordBatch.NO_PRODUCER_ID;
    for (Record record : batch) {
      replay.record(producerId, record);
    }
  }

  /** Writes records (not yet durable: ask the {@link FsyncBatcher} for that). */
  public synchronized void append(List<SimpleRecord> records) throws IOException {
    append(MemoryRecords.withRecords(nextOffset, Compression.NONE, toArray(records)), records);
  }

  /** Writes records in the producer's transaction: they count once a commit marker follows. */
  public synchronized void appendTransactional(
      long producerId, short producerEpoch, List<SimpleRecord> records) throws IOException {
    append(
        MemoryRecords.withTransactionalRecords(
            nextOffset, Compression.NONE, producerId, producerEpoch, 0, 0, toArray(records)),
        records);
  }

  /** Writes the marker that commits or aborts the producer's records. */
  public synchronized void appendMarker(long producerId, short producerEpoch, boolean commit)
      throws IOException {
    MemoryRecords marker =
        MemoryRecords.withEndTransactionMarker(
            nextOffset,
            System.currentTimeMillis(),
            0,
            producerId,
            producerEpoch,
            new EndTransactionMarker(
                commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0));
    active.append(marker);
    nextOffset++;
    bytesSinceSnapshot += marker.sizeInBytes();
  }

  private void append(MemoryRecords batch, List<SimpleRecord> records) throws IOException {
    active.append(batch);
    nextOffset += records.size();
    bytesSinceSnapshot += batch.sizeInBytes();
  }

  private static SimpleRecord[] toArray(List<SimpleRecord> records) {
    return records.toArray(SimpleRecord[]::new);
  }

  @Override
  public void sync() throws IOException {
    try {
      active.flush();
    } catch (ClosedChannelException e) {
      // Rolled meanwhile: rolling forces the old file before closing it.
    }
  }

  public synchronized boolean needsCompaction() {
    return bytesSinceSnapshot > Math.max(minCompactionBytes, 2 * snapshotBytes);
  }

  /** Starts a new log file; returns the generation whose snapshot compaction must write. */
  public synchronized int roll() throws IOException {
    FileRecords old = active;
    old.flush();
    generation++;
    active = FileRecords.open(logFile(dir, generation).toFile());
    AtomicFiles.syncDirectory(dir);
    old.close();
    bytesSinceSnapshot = 0;
    return generation;
  }

  /** Writes the state at the end of the previous generation, then drops what it replaces. */
  public void writeSnapshot(int snapshotGeneration, List<SimpleRecord> state) throws IOException {
    writeSnapshot(snapshotGeneration, state, Map.of());
  }

  /**
   * Writes the state at the end of the previous generation, then drops what it replaces; {@code
   * open} holds the records of transactions not yet ended, by producer, which stay in theirs.
   */
  public void writeSnapshot(
      int snapshotGeneration, List<SimpleRecord> state, Map<Long, List<SimpleRecord>> open)
      throws IOException {
    Path target = snapshotFile(dir, snapshotGeneration);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    long offset = 0;
    int count = state.size();
    try (FileRecords out = FileRecords.open(tmp.toFile())) {
      for (int from = 0; from < state.size(); from += 1000) {
        List<SimpleRecord> chunk = state.subList(from, Math.min(state.size(), from + 1000));
        out.append(MemoryRecords.withRecords(offset, Compression.NONE, toArray(chunk)));
        offset += chunk.size();
      }
      for (Map.Entry<Long, List<SimpleRecord>> entry : open.entrySet()) {
        List<SimpleRecord> records = entry.getValue();
        if (records.isEmpty()) {
          continue;
        }
        out.append(
            MemoryRecords.withTransactionalRecords(
                offset,
                Compression.NONE,
                entry.getKey(),
                RecordBatch.NO_PRODUCER_EPOCH,
                0,
                0,
                toArray(records)));
        offset += records.size();
        count += records.size();
      }
      out.flush();
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(dir);
    snapshotBytes = Files.size(target);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        int g;
        if (name.startsWith("snapshot-") && name.endsWith(".log")) {
          g = Integer.parseInt(name.substring(9, name.length() - 4));
        } else if (name.startsWith("log-") && name.endsWith(".log")) {
          g = Integer.parseInt(name.substring(4, name.length() - 4));
        } else {
          continue;
        }
        if (g < snapshotGeneration) {
          Files.deleteIfExists(file);
        }
      }
    }
    LOG.info("{}: compacted to {} records ({} bytes)", dir, count, snapshotBytes);
  }

  public void close() throws IOException {
    active.flush();
    active.close();
  }

  @Override
  public String toString() {
    return "coordinator log " + dir;
  }
}
