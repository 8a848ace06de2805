package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;
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
  private record Watermark(long offset, long segmentBase, int bytes, long stableOffset) {}

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

  /** A producer as DescribeProducers shows it. */
  public record ProducerState(
      long producerId,
      short epoch,
      int lastSequence,
      long lastTimestamp,
      int coordinatorEpoch,
      long currentTxnStartOffset) {}

  private final TopicPartition partition;
  private final Path dir;
  private final Supplier<TopicConfig> config;
  private final LongSupplier clock;
  private final SegmentFiles files;
  private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
  private final ProducerStateTable producers;
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
      AppendResult invalid = validate(batch, topicConfig);
      if (invalid != null) {
        return invalid;
      }
      maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
    }
    if (batches.size() == 1) {
      MutableRecordBatch batch = batches.get(0);
      ProducerStateTable.Verdict verdict = producers.check(batch);
      if (verdict.error() != Errors.NONE) {
        return AppendResult.failed(verdict.error(), null);
      }
      if (verdict.isDuplicate()) {
        return new AppendResult(Errors.NONE, verdict.duplicateOf(), null);
      }
      AppendResult refused = checkTransaction(batch, transactionVerified);
      if (refused != null) {
        return refused;
      }
    } else {
      for (MutableRecordBatch batch : batches) {
        if (batch.hasProducerId()) {
          return AppendResult.failed(
              Errors.INVALID_RECORD, "an idempotent produce carries one batch per partition");
        }
      }
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
    batches.forEach(producers::record);
    return new AppendResult(Errors.NONE, baseOffset, null);
  }

  private static AppendResult validate(MutableRecordBatch batch, TopicConfig topicConfig) {
    if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
      return AppendResult.failed(
          Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, "only record batch format v2 is supported");
    }
    if (batch.sizeInBytes() > topicConfig.maxMessageBytes()) {
      return AppendResult.failed(
          Errors.MESSAGE_TOO_LARGE,
          "batch of "
              + batch.sizeInBytes()
              + " bytes is over max.message.bytes="
              + topicConfig.maxMessageBytes());
    }
    if (!batch.isValid()) {
      return AppendResult.failed(Errors.CORRUPT_MESSAGE, "record batch fails its CRC check");
    }
    if (batch.isControlBatch()) {
      return AppendResult.failed(
          Errors.INVALID_RECORD, "control batches are written by the transaction coordinator only");
    }
    if (batch.isTransactional() && !batch.hasProducerId()) {
      return AppendResult.failed(
          Errors.INVALID_RECORD, "a transactional batch needs a producer id");
    }
    Integer count = batch.countOrNull();
    if (count == null || count <= 0 || count != batch.lastOffset() - batch.baseOffset() + 1) {
      return AppendResult.failed(
          Errors.INVALID_RECORD, "record count does not match the batch's offset range");
    }
    if (topicConfig.compact()) {
      // Compaction keeps the newest record of each key: a record without one has no place.
      try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
        while (records.hasNext()) {
          if (!records.next().hasKey()) {
            return AppendResult.failed(
                Errors.INVALID_RECORD, "a compacted topic cannot take a record without a key");
          }
        }
      }
    }
    return null;
  }

  /** Refuses a batch that would write outside the producer's transaction; null when it may. */
  private AppendResult checkTransaction(RecordBatch batch, boolean transactionVerified) {
    if (!batch.hasProducerId()) {
      return null;
    }
    if (batch.isTransactional()) {
      if (producers.inTransaction(batch.producerId(), batch.producerEpoch())
          || transactionVerified) {
        return null;
      }
      return AppendResult.failed(
          Errors.INVALID_TXN_STATE,
          "the producer's transaction does not include " + partition + " (not added, or ended)");
    }
    if (producers.hasOpenTransaction(batch.producerId())) {
      return AppendResult.failed(
          Errors.INVALID_TXN_STATE,
          "a non-transactional batch from a producer with a transaction open in " + partition);
    }
    return null;
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
    if (!producers.hasOpenTransaction(producerId)) {
      return new AppendResult(Errors.NONE, -1, null);
    }
    if (epoch < producers.epochOf(producerId)) {
      return AppendResult.failed(
          Errors.INVALID_PRODUCER_EPOCH,
          "marker epoch "
              + epoch
              + " is older than producer epoch "
              + producers.epochOf(producerId));
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
        producers.complete(producerId, epoch, coordinatorEpoch, commit, offset, now);
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
    boolean old = now - current.createdAtMs() > topicConfig.segmentMs();
    if (full || old) {
      current.seal();
      // The producers' state as of the new segment's base: a restart scans only from there.
      ProducerStateSnapshot.write(dir, logEndOffset, producers.producers());
      LogSegment next = LogSegment.create(dir, logEndOffset, files, now);
      segments.put(next.baseOffset(), next);
      syncDirectory(dir);
      active = next;
      // Snapshots of the two newest segments are kept; the one before them is not needed.
      Long before = segments.lowerKey(current.baseOffset());
      if (before != null) {
        Files.deleteIfExists(ProducerStateSnapshot.file(dir, before));
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
   * Reads whole batches from {@code offset}, at most {@code maxBytes} unless the first batch alone
   * is larger and {@code minOneBatch} is set (so a consumer always makes progress). With {@code
   * readCommitted} the read stops at the last stable offset and lists the aborted transactions that
   * have records in what it returns.
   */
  public ReadResult read(long offset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
    Watermark hw = highWatermark;
    long start = logStartOffset;
    long stable = Math.max(start, hw.stableOffset());
    long upper = readCommitted ? stable : hw.offset();
    List<AbortedTxn> noneAborted = readCommitted ? List.of() : null;
    if (offset < start || offset > hw.offset()) {
      return new ReadResult(
          Errors.OFFSET_OUT_OF_RANGE, MemoryRecords.EMPTY, hw.offset(), stable, start, noneAborted);
    }
    if (offset >= upper) {
      return new ReadResult(
          Errors.NONE, MemoryRecords.EMPTY, hw.offset(), stable, start, noneAborted);
    }
    Long from = segments.floorKey(offset);
    LogSegment reading = null;
    try {
      for (LogSegment segment :
          segments.tailMap(from == null ? segments.firstKey() : from).values()) {
        if (segment.baseOffset() > hw.segmentBase()) {
          break;
        }
        reading = segment;
        LogOffsetPosition position = segment.find(offset);
        if (position == null) {
          continue;
        }
        int limit = segment.baseOffset() == hw.segmentBase() ? hw.bytes() : segment.sizeInBytes();
        int available = limit - position.position;
        if (available <= 0) {
          break;
        }
        int size = Math.min(available, maxBytes);
        if (size < position.size) {
          if (!minOneBatch) {
            break;
          }
          size = Math.min(position.size, available);
        }
        MemoryRecords records = wholeBatches(segment.read(position.position, size), upper);
        List<AbortedTxn> aborted = noneAborted;
        if (readCommitted && records.sizeInBytes() > 0) {
          aborted = abortedTransactions(offset, lastOffsetOf(records) + 1);
        }
        return new ReadResult(Errors.NONE, records, hw.offset(), stable, start, aborted);
      }
    } catch (SegmentFiles.SegmentDeletedException e) {
      LogSegment replacement = reading == null ? null : segments.get(reading.baseOffset());
      if (replacement != null && replacement != reading) {
        // Compaction put a cleaned copy in the segment's place while we read it: read the copy.
        return read(offset, maxBytes, minOneBatch, readCommitted);
      }
      // Retention deleted the segment while we read it.
      return new ReadResult(
          Errors.OFFSET_OUT_OF_RANGE,
          MemoryRecords.EMPTY,
          hw.offset(),
          stable,
          logStartOffset,
          noneAborted);
    } catch (IOException | UncheckedIOException | org.apache.kafka.common.KafkaException e) {
      // Out of descriptors, or a disk error: this read fails and the client retries.
      LOG.warn("{}: read at offset {} failed: {}", partition, offset, e.getMessage());
      return new ReadResult(
          Errors.KAFKA_STORAGE_ERROR, MemoryRecords.EMPTY, hw.offset(), stable, start, noneAborted);
    }
    return new ReadResult(
        Errors.NONE, MemoryRecords.EMPTY, hw.offset(), stable, start, noneAborted);
  }

  /** The complete batches of {@code buffer} that start below {@code upper}. */
  private static MemoryRecords wholeBatches(ByteBuffer buffer, long upper) {
    MemoryRecords records = MemoryRecords.readableRecords(buffer);
    int complete = 0;
    for (RecordBatch batch : records.batches()) {
      if (batch.baseOffset() >= upper) {
        break;
      }
      complete += batch.sizeInBytes();
    }
    if (complete == buffer.limit()) {
      return records;
    }
    ByteBuffer trimmed = buffer.duplicate();
    trimmed.limit(complete);
    return MemoryRecords.readableRecords(trimmed.slice());
  }

  private static long lastOffsetOf(MemoryRecords records) {
    long last = -1;
    for (RecordBatch batch : records.batches()) {
      last = batch.lastOffset();
    }
    return last;
  }

  /** The aborted transactions with records in {@code [from, to)}, from the segments' indexes. */
  public List<AbortedTxn> abortedTransactions(long from, long to) {
    List<AbortedTxn> found = new ArrayList<>();
    Long first = segments.floorKey(from);
    for (LogSegment segment :
        segments.tailMap(first == null ? segments.firstKey() : first).values()) {
      if (segment.abortedTxns().collect(from, to, found)) {
        break;
      }
    }
    return found;
  }

  /**
   * The first offset whose record has a timestamp at or after {@code timestamp}, or null.
   *
   * @throws org.apache.kafka.common.errors.KafkaStorageException when a segment cannot be read
   */
  public TimestampAndOffset offsetForTimestamp(long timestamp) {
    Watermark hw = highWatermark;
    for (LogSegment segment : segments.values()) {
      if (segment.maxTimestamp() < timestamp) {
        continue;
      }
      TimestampAndOffset found;
      try {
        found =
            segment.searchForTimestamp(timestamp, Math.max(logStartOffset, segment.baseOffset()));
      } catch (IOException e) {
        throw storageError(e);
      }
      if (found != null) {
        return found.offset < hw.offset() ? found : null;
      }
    }
    return null;
  }

  private org.apache.kafka.common.errors.KafkaStorageException storageError(IOException e) {
    return new org.apache.kafka.common.errors.KafkaStorageException(
        partition + " could not be read: " + e.getMessage());
  }

  /** The offset and timestamp of the record with the largest timestamp, or null when empty. */
  public TimestampAndOffset offsetOfMaxTimestamp() {
    LogSegment best = null;
    for (LogSegment segment : segments.values()) {
      if (segment.maxTimestamp() >= 0
          && (best == null || segment.maxTimestamp() > best.maxTimestamp())) {
        best = segment;
      }
    }
    try {
      return best == null ? null : best.largestTimestamp();
    } catch (IOException e) {
      throw storageError(e);
    }
  }

  /** The producers that wrote here, for DescribeProducers. */
  public synchronized List<ProducerState> producerStates() {
    List<ProducerState> states = new ArrayList<>();
    for (ProducerStateTable.Producer producer : producers.producers()) {
      states.add(
          new ProducerState(
              producer.producerId,
              producer.epoch,
              producer.lastSequence(),
              producer.lastTimestamp,
              producer.coordinatorEpoch,
              producer.txnFirstOffset));
    }
    return states;
  }

  /** Deletes the oldest segments that are past the topic's retention time or size. */
  public void applyRetention() {
    TopicConfig topicConfig = config.get();
    if (!topicConfig.deletes()) {
      return;
    }
    long now = clock.getAsLong();
    synchronized (maintenance) {
      while (segments.size() > 1) {
        LogSegment oldest = segments.firstEntry().getValue();
        boolean expired =
            topicConfig.retentionMs() >= 0
                && oldest.maxTimestamp() >= 0
                && now - oldest.maxTimestamp() > topicConfig.retentionMs();
        boolean oversized =
            topicConfig.retentionBytes() >= 0
                && sizeInBytes() - oldest.sizeInBytes() >= topicConfig.retentionBytes();
        if (!(expired || oversized) || oldest.nextOffset() > highWatermark.offset()) {
          return;
        }
        deleteOldest(oldest, "retention");
      }
    }
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
    synchronized (maintenance) {
      long hw = highWatermark.offset();
      long target = offset == -1 ? hw : offset;
      if (target < 0 || target > hw) {
        throw new org.apache.kafka.common.errors.OffsetOutOfRangeException(
            "cannot delete records before offset "
                + offset
                + " of "
                + partition
                + ": the high watermark is "
                + hw);
      }
      if (target <= logStartOffset) {
        return logStartOffset;
      }
      writeLogStartOffset(target);
      logStartOffset = target;
      while (segments.size() > 1) {
        LogSegment oldest = segments.firstEntry().getValue();
        if (oldest.nextOffset() > target) {
          break;
        }
        deleteOldest(oldest, "DeleteRecords");
      }
      LOG.info("{}: records before {} deleted", partition, target);
      return target;
    }
  }

  private void deleteOldest(LogSegment oldest, String why) {
    segments.remove(oldest.baseOffset());
    logStartOffset = Math.max(logStartOffset, segments.firstKey());
    try {
      oldest.delete();
    } catch (IOException e) {
      LOG.warn("{}: could not delete {}", partition, oldest, e);
    }
    LOG.info("{}: {} deleted segment {}; log starts at {}", partition, why, oldest, logStartOffset);
  }

  private void writeLogStartOffset(long offset) throws IOException {
    Path file = dir.resolve(LogRecovery.LOG_START_FILE);
    Path tmp = dir.resolve(LogRecovery.LOG_START_FILE + ".tmp");
    Files.writeString(tmp, Long.toString(offset), StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  // ------------------------------------------------------------------ for the log cleaner

  Object maintenanceLock() {
    return maintenance;
  }

  Path dir() {
    return dir;
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

  /**
   * Puts a cleaned copy in place of a rolled segment and returns the one it replaces, which readers
   * may still be reading: the caller closes it later.
   */
  /** The open files of the segments, shared by every partition. */
  SegmentFiles files() {
    return files;
  }

  LogSegment replaceSegment(LogSegment cleaned) {
    return segments.put(cleaned.baseOffset(), cleaned);
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

  /** Makes file creations and deletions in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems do not allow opening directories; file data is still synced.
      LOG.debug("cannot sync directory {}: {}", dir, e.getMessage());
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
