package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
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
 */
public final class PartitionLog implements FsyncBatcher.Durable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

  /** Where the durable end of the log is: an offset, and the segment and byte it ends at. */
  private record Watermark(long offset, long segmentBase, int bytes) {}

  public record AppendResult(Errors error, long baseOffset, String message) {
    static AppendResult failed(Errors error, String message) {
      return new AppendResult(error, -1, message);
    }
  }

  public record ReadResult(
      Errors error, MemoryRecords records, long highWatermark, long logStartOffset) {}

  private final TopicPartition partition;
  private final Path dir;
  private final Supplier<TopicConfig> config;
  private final LongSupplier clock;
  private final SegmentFiles files;
  private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
  private final ProducerStateTable producers = new ProducerStateTable();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile LogSegment active;
  private volatile long logStartOffset;
  private volatile Watermark highWatermark;
  private long logEndOffset;

  private PartitionLog(
      TopicPartition partition,
      Path dir,
      Supplier<TopicConfig> config,
      LongSupplier clock,
      SegmentFiles files) {
    this.partition = partition;
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.files = files;
  }

  /**
   * Opens the log in {@code dir}, recovering its last segment, or creates an empty one. Its
   * segments' files are opened and closed by {@code files}.
   */
  public static PartitionLog open(
      TopicPartition partition,
      Path dir,
      Supplier<TopicConfig> config,
      LongSupplier clock,
      SegmentFiles files)
      throws IOException {
    Files.createDirectories(dir);
    PartitionLog log = new PartitionLog(partition, dir, config, clock, files);
    List<Long> bases = new ArrayList<>();
    try (Stream<Path> listed = Files.list(dir)) {
      listed.forEach(
          file -> {
            String name = file.getFileName().toString();
            if (name.endsWith(".log")) {
              bases.add(Long.parseLong(name.substring(0, name.length() - 4)));
            } else if (name.endsWith(".tmp")) {
              deleteQuietly(file);
            }
          });
    }
    bases.sort(Long::compare);
    long now = clock.getAsLong();
    for (int i = 0; i < bases.size(); i++) {
      boolean last = i == bases.size() - 1;
      LogSegment segment =
          LogSegment.open(
              dir, bases.get(i), last, last ? log.producers::record : b -> {}, files, now);
      log.segments.put(segment.baseOffset(), segment);
    }
    if (log.segments.isEmpty()) {
      LogSegment first = LogSegment.create(dir, 0, files, now);
      log.segments.put(0L, first);
      syncDirectory(dir);
    }
    log.active = log.segments.lastEntry().getValue();
    log.logStartOffset = log.segments.firstKey();
    log.logEndOffset = log.active.nextOffset();
    log.highWatermark =
        new Watermark(log.logEndOffset, log.active.baseOffset(), log.active.sizeInBytes());
    return log;
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

  /**
   * Validates the batches, assigns their offsets and writes them. Nothing is written unless every
   * batch is acceptable. A retried batch of an idempotent producer is answered with the offset it
   * got the first time.
   */
  public synchronized AppendResult append(MemoryRecords records) {
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
      if (batch.isTransactional() || batch.isControlBatch()) {
        return AppendResult.failed(
            Errors.INVALID_RECORD, "transactional batches are not supported");
      }
      Integer count = batch.countOrNull();
      if (count == null || count <= 0 || count != batch.lastOffset() - batch.baseOffset() + 1) {
        return AppendResult.failed(
            Errors.INVALID_RECORD, "record count does not match the batch's offset range");
      }
      maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
    }
    if (batches.size() == 1) {
      ProducerStateTable.Verdict verdict = producers.check(batches.get(0));
      if (verdict.error() != Errors.NONE) {
        return AppendResult.failed(verdict.error(), null);
      }
      if (verdict.isDuplicate()) {
        return new AppendResult(Errors.NONE, verdict.duplicateOf(), null);
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
    for (MutableRecordBatch batch : batches) {
      long delta = batch.lastOffset() - batch.baseOffset();
      batch.setLastOffset(next + delta);
      batch.setPartitionLeaderEpoch(0);
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
      LogSegment next = LogSegment.create(dir, logEndOffset, files, now);
      segments.put(next.baseOffset(), next);
      syncDirectory(dir);
      active = next;
    }
  }

  /** Forces appended batches to disk and moves the high watermark to them. */
  @Override
  public void sync() throws IOException {
    LogSegment segment;
    long end;
    int bytes;
    synchronized (this) {
      segment = active;
      end = logEndOffset;
      bytes = segment.sizeInBytes();
    }
    if (end <= highWatermark.offset()) {
      return;
    }
    segment.flush();
    highWatermark = new Watermark(end, segment.baseOffset(), bytes);
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /**
   * Reads whole batches from {@code offset}, at most {@code maxBytes} unless the first batch alone
   * is larger and {@code minOneBatch} is set (so a consumer always makes progress).
   */
  public ReadResult read(long offset, int maxBytes, boolean minOneBatch) {
    Watermark hw = highWatermark;
    long start = logStartOffset;
    if (offset < start || offset > hw.offset()) {
      return new ReadResult(Errors.OFFSET_OUT_OF_RANGE, MemoryRecords.EMPTY, hw.offset(), start);
    }
    if (offset == hw.offset()) {
      return new ReadResult(Errors.NONE, MemoryRecords.EMPTY, hw.offset(), start);
    }
    Long from = segments.floorKey(offset);
    try {
      for (LogSegment segment :
          segments.tailMap(from == null ? segments.firstKey() : from).values()) {
        if (segment.baseOffset() > hw.segmentBase()) {
          break;
        }
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
        MemoryRecords records = wholeBatches(segment.read(position.position, size));
        return new ReadResult(Errors.NONE, records, hw.offset(), start);
      }
    } catch (SegmentFiles.SegmentDeletedException e) {
      // Retention deleted the segment while we read it.
      return new ReadResult(
          Errors.OFFSET_OUT_OF_RANGE, MemoryRecords.EMPTY, hw.offset(), logStartOffset);
    } catch (IOException | UncheckedIOException | org.apache.kafka.common.KafkaException e) {
      // Out of descriptors, or a disk error: this read fails and the client retries.
      LOG.warn("{}: read at offset {} failed: {}", partition, offset, e.getMessage());
      return new ReadResult(Errors.KAFKA_STORAGE_ERROR, MemoryRecords.EMPTY, hw.offset(), start);
    }
    return new ReadResult(Errors.NONE, MemoryRecords.EMPTY, hw.offset(), start);
  }

  private static MemoryRecords wholeBatches(ByteBuffer buffer) {
    MemoryRecords records = MemoryRecords.readableRecords(buffer);
    int complete = 0;
    for (RecordBatch batch : records.batches()) {
      complete += batch.sizeInBytes();
    }
    if (complete == buffer.limit()) {
      return records;
    }
    ByteBuffer trimmed = buffer.duplicate();
    trimmed.limit(complete);
    return MemoryRecords.readableRecords(trimmed.slice());
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

  /** Deletes the oldest segments that are past the topic's retention time or size. */
  public void applyRetention() {
    TopicConfig topicConfig = config.get();
    long now = clock.getAsLong();
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
      segments.remove(oldest.baseOffset());
      logStartOffset = segments.firstKey();
      try {
        oldest.delete();
      } catch (IOException e) {
        LOG.warn("{}: could not delete {}", partition, oldest, e);
      }
      LOG.info(
          "{}: retention deleted segment {}; log starts at {}", partition, oldest, logStartOffset);
    }
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
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems do not allow opening directories; file data is still synced.
      LOG.debug("cannot sync directory {}: {}", dir, e.getMessage());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete {}", file, e);
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
