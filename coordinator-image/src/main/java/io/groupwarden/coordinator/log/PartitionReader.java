package io.groupwarden.coordinator.log;

import io.groupwarden.coordinator.log.PartitionLog.ReadResult;
import io.groupwarden.coordinator.log.PartitionLog.Watermark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of a partition log: reads of whole batches up to the high watermark (or the last
 * stable offset), either copied into memory or left in the segment file as a {@link SegmentSlice}
 * for a fetch response, and the searches by timestamp. Reads run concurrently with appends and see
 * only what {@link PartitionLog} has made durable.
 */
final class PartitionReader {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionReader.class);

  private final PartitionLog log;
  private final TopicPartition partition;
  private final NavigableMap<Long, LogSegment> segments;

  PartitionReader(PartitionLog log, NavigableMap<Long, LogSegment> segments) {
    this.log = log;
    this.partition = log.partition();
    this.segments = segments;
  }

  /**
   * Where a read found its bytes in one segment: from a batch's start, {@code size} bytes, whose
   * end is a batch boundary when {@code endsAtBatch}; batches at or after {@code upper} are not
   * read, and {@code offsetCut} says whether any of this segment's may be.
   */
  private record Span(
      LogSegment segment,
      int position,
      int size,
      boolean endsAtBatch,
      long upper,
      boolean offsetCut) {}

  /** Turns a span into records and names the offset after the last batch they hold. */
  private interface Reading<R extends BaseRecords> {
    R read(Span span) throws IOException;
  }

  /** Builds a read's result: {@link ReadResult} or {@link SliceRead}, which differ in records. */
  private interface Result<R extends BaseRecords, T> {
    T of(
        Errors error,
        R records,
        long highWatermark,
        long lastStableOffset,
        long logStartOffset,
        List<AbortedTxn> aborted);
  }

  /** How a read takes its records from the segment, and what it returns them in. */
  private record Mode<R extends BaseRecords, T>(R empty, Reading<R> reading, Result<R, T> result) {}

  /** Records copied into memory, cut to whole batches. */
  private static final Mode<MemoryRecords, ReadResult> COPIED =
      new Mode<>(
          MemoryRecords.EMPTY,
          span -> wholeBatches(span.segment().read(span.position(), span.size()), span.upper()),
          ReadResult::new);

  /** Records left in the segment file, pinned until the reader releases them. */
  private static final Mode<BaseRecords, SliceRead> SLICED =
      new Mode<>(MemoryRecords.EMPTY, PartitionReader::slice, SliceRead::new);

  ReadResult read(long offset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
    return find(offset, maxBytes, minOneBatch, readCommitted, COPIED);
  }

  SliceRead readSlice(long offset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
    return find(offset, maxBytes, minOneBatch, readCommitted, SLICED);
  }

  private <R extends BaseRecords, T> T find(
      long offset, int maxBytes, boolean minOneBatch, boolean readCommitted, Mode<R, T> mode) {
    R empty = mode.empty();
    Watermark hw = log.watermark();
    long start = log.logStartOffset();
    long stable = Math.max(start, hw.stableOffset());
    long upper = readCommitted ? stable : hw.offset();
    List<AbortedTxn> noneAborted = readCommitted ? List.of() : null;
    if (offset < start || offset > hw.offset()) {
      return mode.result()
          .of(Errors.OFFSET_OUT_OF_RANGE, empty, hw.offset(), stable, start, noneAborted);
    }
    if (offset >= upper) {
      return mode.result().of(Errors.NONE, empty, hw.offset(), stable, start, noneAborted);
    }
    Long from = segments.floorKey(offset);
    LogSegment current = null;
    try {
      for (LogSegment segment :
          segments.tailMap(from == null ? segments.firstKey() : from).values()) {
        if (segment.baseOffset() > hw.segmentBase()) {
          break;
        }
        current = segment;
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
        // The high watermark's byte count, the segment's end and one whole batch are boundaries.
        boolean endsAtBatch = size == available || size == position.size;
        boolean offsetCut = upper < Math.min(segment.nextOffset(), hw.offset());
        R records =
            mode.reading()
                .read(new Span(segment, position.position, size, endsAtBatch, upper, offsetCut));
        List<AbortedTxn> aborted = noneAborted;
        if (readCommitted && records.sizeInBytes() > 0) {
          aborted = abortedTransactions(offset, lastOffsetOf(segment, records) + 1);
        }
        return mode.result().of(Errors.NONE, records, hw.offset(), stable, start, aborted);
      }
    } catch (SegmentFiles.SegmentDeletedException e) {
      LogSegment replacement = current == null ? null : segments.get(current.baseOffset());
      if (replacement != null && replacement != current) {
        // Compaction put a cleaned copy in the segment's place while we read it: read the copy.
        return find(offset, maxBytes, minOneBatch, readCommitted, mode);
      }
      if (current != null && replacement == null && current.baseOffset() >= log.logStartOffset()) {
        // Compaction dropped the segment, left empty, while we read it: read on after it.
        return find(offset, maxBytes, minOneBatch, readCommitted, mode);
      }
      // Retention deleted the segment while we read it.
      return mode.result()
          .of(
              Errors.OFFSET_OUT_OF_RANGE,
              empty,
              hw.offset(),
              stable,
              log.logStartOffset(),
              noneAborted);
    } catch (IOException | UncheckedIOException | org.apache.kafka.common.KafkaException e) {
      // Out of descriptors, or a disk error: this read fails and the client retries.
      LOG.warn("{}: read at offset {} failed: {}", partition, offset, e.getMessage());
      return mode.result()
          .of(Errors.KAFKA_STORAGE_ERROR, empty, hw.offset(), stable, start, noneAborted);
    }
    return mode.result().of(Errors.NONE, empty, hw.offset(), stable, start, noneAborted);
  }

  /**
   * The span left in the file, cut to whole batches below {@code upper}: only batch headers are
   * read, and only where the span's end is not a batch boundary already.
   */
  private static BaseRecords slice(Span span) throws IOException {
    SegmentFiles.Pin pin = span.segment().pin();
    try {
      int size = wholeBatchBytes(pin.records(), span);
      if (size == 0) {
        pin.release();
        return MemoryRecords.EMPTY;
      }
      return new SegmentSlice(pin, span.position(), size);
    } catch (RuntimeException e) {
      pin.release();
      throw e;
    }
  }

  /** How many bytes of the span are whole batches starting below its upper offset. */
  private static int wholeBatchBytes(FileRecords file, Span span) {
    LogSegment segment = span.segment();
    int start = span.position();
    int end = start + span.size();
    boolean offsetCut = span.offsetCut();
    if (!offsetCut && span.endsAtBatch()) {
      return span.size();
    }
    // Without an offset to cut at, only the last batches matter: walk from the indexed batch
    // nearest the end, which is at most a few KiB of headers away.
    int walkFrom = offsetCut ? start : Math.max(start, segment.indexFloorOfPosition(end));
    int complete = walkFrom;
    for (FileChannelRecordBatch batch : file.batchesFrom(walkFrom)) {
      if (batch.position() + batch.sizeInBytes() > end || batch.baseOffset() >= span.upper()) {
        break;
      }
      complete = batch.position() + batch.sizeInBytes();
    }
    return complete - start;
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

  private static long lastOffsetOf(LogSegment segment, BaseRecords records) throws IOException {
    long last = -1;
    if (records instanceof MemoryRecords memory) {
      for (RecordBatch batch : memory.batches()) {
        last = batch.lastOffset();
      }
    } else if (records instanceof SegmentSlice slice) {
      FileRecords file = slice.pinnedRecords();
      int end = (int) slice.position() + slice.sizeInBytes();
      for (FileChannelRecordBatch batch :
          file.batchesFrom(
              Math.max((int) slice.position(), segment.indexFloorOfPosition(end - 1)))) {
        if (batch.position() >= end) {
          break;
        }
        last = batch.lastOffset();
      }
    }
    return last;
  }

  /** The aborted transactions with records in {@code [from, to)}, from the segments' indexes. */
  List<AbortedTxn> abortedTransactions(long from, long to) {
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
  TimestampAndOffset offsetForTimestamp(long timestamp) {
    Watermark hw = log.watermark();
    for (LogSegment segment : segments.values()) {
      if (segment.maxTimestamp() < timestamp) {
        continue;
      }
      TimestampAndOffset found;
      try {
        found =
            segment.searchForTimestamp(
                timestamp, Math.max(log.logStartOffset(), segment.baseOffset()));
      } catch (IOException e) {
        throw storageError(e);
      }
      if (found != null) {
        return found.offset < hw.offset() ? found : null;
      }
    }
    return null;
  }

  /** The offset and timestamp of the record with the largest timestamp, or null when empty. */
  TimestampAndOffset offsetOfMaxTimestamp() {
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

  private org.apache.kafka.common.errors.KafkaStorageException storageError(IOException e) {
    return new org.apache.kafka.common.errors.KafkaStorageException(
        partition + " could not be read: " + e.getMessage());
  }
}
