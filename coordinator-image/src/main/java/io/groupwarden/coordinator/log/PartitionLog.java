package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: a chain of segments. Appends are serialised per partition; reads run
 * concurrently and see only what is durable (the high watermark advances after each fsync), so a
 * consumer never reads a record that a crash could take back.
 *
 * <p>Transactions: a transactional batch opens its producer's transaction in the partition and a
 * marker written by the transaction coordinator (a control batch) ends it. The last stable offset
 * is the first offset of the earliest transaction still open, or the high watermark: read_committed
 * consumers read up to it, and are told which transactions below it were aborted.
 */
public final class PartitionLog implements FsyncBatcher.Durable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

  /**
   * Where the durable end of the log is: an offset, and the segment and byte it ends at, and the
   * last stable offset at that moment.
   */
  record Watermark(long offset, long segmentBase, int bytes, long stableOffset) {}

  public record AppendResult(Errors error, long baseOffset, String message) {
    static AppendResult failed(Errors error, String message) {
      return new AppendResult(error, -1, message);
    }
  }

  /**
   * A read: the records, the watermarks, and for read_committed the aborted transactions among the
   * records (null for read_uncommitted).
   */
  public record ReadResult(
      Errors error,
      MemoryRecords records,
      long highWatermark,
      long lastStableOffset,
      long logStartOffset,
      List<AbortedTxn> abortedTransactions) {}

  private final TopicPartition partition;
  private final Path dir;
  private final Supplier<TopicConfig> config;
  private final LongSupplier clock;
  private final SegmentFiles files;
  private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
  private final ProducerStateTable producers;
  private final PartitionReader reader;
  private final AppendChecks checks;
  private final LogRetention retention;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  // Retention, DeleteRecords and compaction change the rolled segments; one at a time.
  private final Object maintenance = new Object();
  private volatile LogSegment active;
  private volatile long logStartOffset;
  private volatile Watermark highWatermark;
  private long logEndOffset;

  private PartitionLog(
      TopicPartition partition,
      Path dir,
      Supplier<TopicConfig> config,
      LongSupplier clock,
      LogRecovery.Loaded loaded,
      SegmentFiles files) {
    this.partition = partition;
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.files = files;
    this.segments.putAll(loaded.segments());
    this.producers = loaded.producers();
    this.reader = new PartitionReader(this, segments);
    this.checks = new AppendChecks(partition, producers);
    this.retention = new LogRetention(this, segments);
    this.active = segments.lastEntry().getValue();
    this.logStartOffset = loaded.logStartOffset();
    this.logEndOffset = active.nextOffset();
    this.highWatermark =
        new Watermark(
            logEndOffset,
            active.baseOffset(),
            active.sizeInBytes(),
            Math.min(logEndOffset, producers.firstUnstableOffset()));
  }

  /**
   * Opens the log in {@code dir}, recovering its last segment and its producers' state, or creates
   * an empty one. Its segments' files are opened and closed by {@code files}.
   */
  public static PartitionLog open(
      TopicPartition partition,
      Path dir,
      Supplier<TopicConfig> config,
      LongSupplier clock,
      SegmentFiles files)
      throws IOException {
    Files.createDirectories(dir);
    LogRecovery.Loaded loaded = LogRecovery.open(dir, clock.getAsLong(), files);
    return new PartitionLog(partition, dir, config, clock, loaded, files);
  }

  public TopicPartition partition() {
    return partition;
  }

  /** The directory of its segments. */
  public Path directory() {
    return dir;
  }

  public long logStartOffset() {
    return logStartOffset;
  }

  /** The offset after the last durable record: what consumers can read up to. */
  public long highWatermark() {
    return highWatermark.offset();
  }

  /**
   * The offset read_committed consumers read up to: the first offset of the earliest transaction
   * still open, or the high watermark when none is.
   */
  public long lastStableOffset() {
    return Math.max(logStartOffset, highWatermark.stableOffset());
  }

  public synchronized long logEndOffset() {
    return logEndOffset;
  }

  public long sizeInBytes() {
    long total = 0;
    for (LogSegment segment : segments.values()) {
      total += segment.sizeInBytes();
    }
    return total;
  }

  /** Called (on the fsync thread) each time the high watermark moves. */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** Appends a produce request's batches; transactional batches must continue a transaction. */
  public AppendResult append(MemoryRecords records) {
    return append(records, false);
  }

  /**
   * Validates the batches, assigns their offsets and writes them. Nothing is written unless every
   * batch is acceptable. A retried batch of an idempotent producer is answered with the offset it
   * got the first time.
   *
   * @param transactionVerified the transaction coordinator has this partition in the producer's
   *     transaction, so a transactional batch may open it here; without that only a transaction
   *     already open in this partition, at the batch's epoch, may continue
   */
  public synchronized AppendResult append(MemoryRecords records, boolean transactionVerified) {
    TopicConfig topicConfig = config.get();
    List<MutableRecordBatch> batches = new ArrayList<>();
    long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    try {
      for (MutableRecordBatch batch : records.batches()) {
        batches.add(batch);
      }
    } catch (RuntimeException e) {
      return AppendResult.failed(Errors.CORRUPT_MESSAGE, "unreadable record batch: " + e);
    }
    if (batches.isEmpty() || records.validBytes() != records.sizeInBytes()) {
      return AppendResult.failed(Errors.CORRUPT_MESSAGE, "incomplete record batch");
    }
    for (MutableRecordBatch batch : batches) {
      AppendResult invalid = AppendChecks.validate(batch, topicConfig);
      if (invalid != null) {
        return invalid;
      }
      maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
    }
    AppendResult answered = checks.admit(batches, transactionVerified);
    if (answered != null) {
      return answered;
    }
    long baseOffset = logEndOffset;
    long next = logEndOffset;
    long appendTime = topicConfig.logAppendTime() ? clock.getAsLong() : RecordBatch.NO_TIMESTAMP;
    for (MutableRecordBatch batch : batches) {
      long delta = batch.lastOffset() - batch.baseOffset();
      batch.setLastOffset(next + delta);
      batch.setPartitionLeaderEpoch(0);
      if (appendTime != RecordBatch.NO_TIMESTAMP) {
        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, appendTime);
        maxTimestamp = appendTime;
      }
      next += delta + 1;
    }
    try {
      maybeRoll(records.sizeInBytes(), topicConfig);
      active.append(records, next, maxTimestamp);
    } catch (IOException e) {
      LOG.error("{}: append failed", partition, e);
      return AppendResult.failed(Errors.KAFKA_STORAGE_ERROR, e.getMessage());
    }
    logEndOffset = next;
    long now = clock.getAsLong();
    batches.forEach(batch -> producers.record(batch, now));
    return new AppendResult(Errors.NONE, baseOffset, null);
  }

  /**
   * True when this producer has a transaction open here at this epoch: its next transactional batch
   * needs no word from the transaction coordinator.
   */
  public synchronized boolean inTransaction(long producerId, short epoch) {
    return producers.inTransaction(producerId, epoch);
  }

  /**
   * Writes the marker that ends the producer's transaction in this partition (a control batch). A
   * partition the transaction wrote nothing to gets none: nothing is open there.
   *
   * @return the marker's offset, or -1 when nothing was open (as after a marker already written)
   */
  public synchronized AppendResult appendMarker(
      long producerId, short epoch, int coordinatorEpoch, boolean commit) {
    AppendResult answered = checks.admitMarker(producerId, epoch);
    if (answered != null) {
      return answered;
    }
    long offset = logEndOffset;
    long now = clock.getAsLong();
    MemoryRecords marker =
        MemoryRecords.withEndTransactionMarker(
            offset,
            now,
            0,
            producerId,
            epoch,
            new EndTransactionMarker(
                commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
    try {
      maybeRoll(marker.sizeInBytes(), config.get());
      active.append(marker, offset + 1, now);
    } catch (IOException e) {
      LOG.error("{}: marker append failed", partition, e);
      return AppendResult.failed(Errors.KAFKA_STORAGE_ERROR, e.getMessage());
    }
    logEndOffset = offset + 1;
    ProducerStateTable.CompletedTxn completed =
        producers.complete(producerId, epoch, coordinatorEpoch, commit, offset, now, now);
    if (completed.aborted()) {
      active
          .abortedTxns()
          .add(
              new AbortedTxn(
                  producerId,
                  completed.firstOffset(),
                  offset,
                  Math.min(producers.firstUnstableOffset(), logEndOffset)));
    }
    return new AppendResult(Errors.NONE, offset, null);
  }

  private void maybeRoll(int incomingBytes, TopicConfig topicConfig) throws IOException {
    LogSegment current = active;
    if (current.sizeInBytes() == 0) {
      return;
    }
    long now = clock.getAsLong();
    boolean full = (long) current.sizeInBytes() + incomingBytes > topicConfig.segmentBytes();
    boolean old = now - current.createdAtMs() > topicConfig.rollMs();
    if (full || old) {
      current.seal();
      // The producers' state as of the new segment's base: a restart scans only from there.
      ProducerStateSnapshot.write(dir, logEndOffset, producers.producers());
      LogSegment next = LogSegment.create(dir, logEndOffset, files, now);
      segments.put(next.baseOffset(), next);
      AtomicFiles.syncDirectory(dir);
      active = next;
      // Snapshots of the two newest segments are kept; the one before them is not needed.
      Long before = segments.lowerKey(current.baseOffset());
      if (before != null) {
        ProducerStateSnapshot.delete(dir, before);
      }
    }
  }

  /** Forces appended batches to disk and moves the high watermark to them. */
  @Override
  public void sync() throws IOException {
    LogSegment segment;
    long end;
    int bytes;
    long firstUnstable;
    synchronized (this) {
      segment = active;
      end = logEndOffset;
      bytes = segment.sizeInBytes();
      firstUnstable = producers.firstUnstableOffset();
    }
    if (end <= highWatermark.offset()) {
      return;
    }
    segment.flush();
    highWatermark = new Watermark(end, segment.baseOffset(), bytes, Math.min(end, firstUnstable));
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /** Reads for read_uncommitted consumers (and the broker's own readers). */
  public ReadResult read(long offset, int maxBytes, boolean minOneBatch) {
    return read(offset, maxBytes, minOneBatch, false);
  }

  /**
   * Reads whole batches from {@code offset} into memory, at most {@code maxBytes} unless the first
   * batch alone is larger and {@code minOneBatch} is set (so a consumer always makes progress).
   * With {@code readCommitted} the read stops at the last stable offset and lists the aborted
   * transactions that have records in what it returns.
   */
  public ReadResult read(long offset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
    return reader.read(offset, maxBytes, minOneBatch, readCommitted);
  }

  /**
   * Reads as {@link #read(long, int, boolean, boolean)} does, but leaves the bytes in the segment
   * file: the records are a {@link SegmentSlice} (or empty) that the caller must release.
   */
  public SliceRead readSlice(
      long offset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
    return reader.readSlice(offset, maxBytes, minOneBatch, readCommitted);
  }

  /** The aborted transactions with records in {@code [from, to)}, from the segments' indexes. */
  public List<AbortedTxn> abortedTransactions(long from, long to) {
    return reader.abortedTransactions(from, to);
  }

  /**
   * The first offset whose record has a timestamp at or after {@code timestamp}, or null.
   *
   * @throws org.apache.kafka.common.errors.KafkaStorageException when a segment cannot be read
   */
  public TimestampAndOffset offsetForTimestamp(long timestamp) {
    return reader.offsetForTimestamp(timestamp);
  }

  /** The offset and timestamp of the record with the largest timestamp, or null when empty. */
  public TimestampAndOffset offsetOfMaxTimestamp() {
    return reader.offsetOfMaxTimestamp();
  }

  Watermark watermark() {
    return highWatermark;
  }

  /** The producers that wrote here, for DescribeProducers. */
  public synchronized List<ProducerDescription> producerStates() {
    return producers.describe();
  }

  /**
   * Forgets the producers that have written nothing here for {@code expirationMs} and have no
   * transaction open (see {@link ProducerStateTable#removeExpired}).
   *
   * @return how many were forgotten
   */
  public synchronized int expireProducers(long expirationMs) {
    return producers.removeExpired(clock.getAsLong(), expirationMs);
  }

  /** Deletes the oldest segments that are past the topic's retention time or size. */
  public void applyRetention() {
    retention.apply();
  }

  /**
   * DeleteRecords: moves the log start to {@code offset} (the high watermark when -1) and deletes
   * the segments wholly before it. The new start is kept in {@code log-start-offset}, so it holds
   * after a restart.
   *
   * @return the new log start offset
   * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException past the high watermark
   */
  public long deleteRecordsBefore(long offset) throws IOException {
    return retention.deleteRecordsBefore(offset);
  }

  /** Moves the log start forward (retention and DeleteRecords, under the maintenance lock). */
  void advanceLogStart(long offset) {
    logStartOffset = Math.max(logStartOffset, offset);
  }

  // ------------------------------------------------------------------ for the log cleaner

  Object maintenanceLock() {
    return maintenance;
  }

  TopicConfig topicConfig() {
    return config.get();
  }

  long now() {
    return clock.getAsLong();
  }

  /** The rolled segments, oldest first: everything but the active one. */
  List<LogSegment> rolledSegments() {
    List<LogSegment> rolled = new ArrayList<>(segments.headMap(active.baseOffset()).values());
    return rolled;
  }

  /** The open files of the segments, shared by every partition. */
  SegmentFiles files() {
    return files;
  }

  /**
   * Puts a cleaned copy in place of a rolled segment and returns the one it replaces, which readers
   * may still be reading: the caller closes it later.
   */
  LogSegment replaceSegment(LogSegment cleaned) {
    return segments.put(cleaned.baseOffset(), cleaned);
  }

  /**
   * Drops a rolled segment that compaction left without a batch, with its files, unless it is the
   * first (where the log starts): reads of its offsets go on to the next segment. Under the
   * maintenance lock.
   *
   * @return whether it was dropped
   */
  boolean removeEmptySegment(LogSegment segment) throws IOException {
    if (segment.sizeInBytes() > 0
        || segment == active
        || segments.firstKey() == segment.baseOffset()
        || !segments.remove(segment.baseOffset(), segment)) {
      return false;
    }
    segment.delete();
    ProducerStateSnapshot.delete(dir, segment.baseOffset());
    AtomicFiles.syncDirectory(dir);
    return true;
  }

  public synchronized void close() {
    for (LogSegment segment : segments.values()) {
      try {
        if (segment == active) {
          segment.flush();
        }
      } catch (IOException e) {
        LOG.warn("{}: flush at close failed", partition, e);
      }
      segment.close();
    }
  }

  /** For DescribeConfigs-like views and tests. */
  public Map<String, String> config() {
    return config.get().asMap();
  }

  @Override
  public String toString() {
    return "log " + partition;
  }
}
