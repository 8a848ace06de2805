package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file of a partition log: record batches exactly as producers sent them (offsets assigned),
 * named after the first offset it holds, with a sparse offset index beside it. The file is open
 * only while {@link SegmentFiles} keeps it so; everything kept here (size, index, timestamps) is
 * known without it.
 *
 * <p>The index maps every ~4 KiB of batches to (offset, file position) so a read seeks close to the
 * batch it needs instead of walking the file. It lives in memory and is written to {@code .index}
 * when the segment is rolled; the active segment's index is rebuilt by the recovery scan.
 */
final class LogSegment {
  private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
  static final int INDEX_INTERVAL_BYTES = 4096;

  private final long baseOffset;
  private final Path logFile;
  private final Path indexFile;
  private final SegmentFiles files;
  private final TransactionIndex abortedTxns;
  private final long createdAtMs;
  private volatile int size;
  private volatile boolean deleted;
  private int[] indexOffsets = new int[16];
  private int[] indexPositions = new int[16];
  private volatile int indexEntries;
  private int bytesSinceIndexEntry;
  private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
  private volatile long nextOffset;

  private LogSegment(Path dir, long baseOffset, SegmentFiles files, long createdAtMs) {
    this.baseOffset = baseOffset;
    this.logFile = logFile(dir, baseOffset);
    this.indexFile = indexFile(dir, baseOffset);
    this.files = files;
    this.abortedTxns = new TransactionIndex(dir, baseOffset);
    this.nextOffset = baseOffset;
    this.createdAtMs = createdAtMs;
  }

  static Path logFile(Path dir, long baseOffset) {
    return dir.resolve(String.format("%020d.log", baseOffset));
  }

  static Path indexFile(Path dir, long baseOffset) {
    return dir.resolve(String.format("%020d.index", baseOffset));
  }

  static LogSegment create(Path dir, long baseOffset, SegmentFiles files, long nowMs)
      throws IOException {
    LogSegment segment = new LogSegment(dir, baseOffset, files, nowMs);
    // Made now, so that a failure (out of descriptors or space) fails the caller, not a later read.
    Files.newByteChannel(segment.logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
        .close();
    segment.size = (int) Files.size(segment.logFile);
    return segment;
  }

  /**
   * Opens an existing segment. A segment that was rolled cleanly reuses its index; the active
   * segment (or one without a usable index) is scanned batch by batch, checking each CRC, and cut
   * at the first torn or corrupt batch. {@code onBatch} sees every valid batch of a scan.
   */
  static LogSegment open(
      Path dir,
      long baseOffset,
      boolean scan,
      Consumer<RecordBatch> onBatch,
      SegmentFiles files,
      long nowMs)
      throws IOException {
    LogSegment segment = new LogSegment(dir, baseOffset, files, nowMs);
    segment.size = (int) Files.size(segment.logFile);
    if (scan || !segment.readIndex()) {
      files.use(
          segment,
          records -> {
            segment.recover(records, onBatch);
            return null;
          });
    }
    return segment;
  }

  /** Opens the file for {@link SegmentFiles}; never creates it. */
  FileRecords openFile() throws IOException {
    if (!Files.exists(logFile)) {
      throw new java.nio.file.NoSuchFileException(logFile.toString());
    }
    return FileRecords.open(logFile.toFile());
  }

  boolean deleted() {
    return deleted;
  }

  long baseOffset() {
    return baseOffset;
  }

  /** The offset after the last batch of this segment. */
  long nextOffset() {
    return nextOffset;
  }

  long maxTimestamp() {
    return maxTimestamp;
  }

  long createdAtMs() {
    return createdAtMs;
  }

  int sizeInBytes() {
    return size;
  }

  /** The aborted transactions whose marker is in this segment. */
  TransactionIndex abortedTxns() {
    return abortedTxns;
  }

  /** Every batch of the segment in order (a scan that changes nothing). */
  void forEachBatch(Consumer<RecordBatch> action) throws IOException {
    files.use(
        this,
        records -> {
          for (FileChannelRecordBatch batch : records.batches()) {
            action.accept(batch);
          }
          return null;
        });
  }

  /** Appends batches whose offsets are already assigned; returns the position they start at. */
  int append(MemoryRecords batches, long nextOffsetAfter, long batchMaxTimestamp)
      throws IOException {
    int position = size;
    files.use(this, records -> records.append(batches));
    size = position + batches.sizeInBytes();
    if (bytesSinceIndexEntry >= INDEX_INTERVAL_BYTES || indexEntries == 0) {
      RecordBatch first = batches.batches().iterator().next();
      addIndexEntry(first.baseOffset(), position);
      bytesSinceIndexEntry = 0;
    }
    bytesSinceIndexEntry += batches.sizeInBytes();
    if (batchMaxTimestamp > maxTimestamp) {
      maxTimestamp = batchMaxTimestamp;
    }
    nextOffset = nextOffsetAfter;
    return position;
  }

  /** The first batch whose last offset is at or after {@code offset}, or null. */
  LogOffsetPosition find(long offset) throws IOException {
    int from = indexFloorPosition(offset);
    return files.use(this, records -> records.searchForOffsetFromPosition(offset, from));
  }

  /** Reads {@code length} bytes from {@code position}. */
  ByteBuffer read(int position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    files.use(
        this,
        records -> {
          records.readInto(buffer, position);
          return null;
        });
    return buffer;
  }

  /** Pins the file open for bytes read from it after this returns; the caller releases it. */
  SegmentFiles.Pin pin() throws IOException {
    return files.pin(this);
  }

  /**
   * The position of the indexed batch nearest at or before {@code position}: a batch starts there,
   * so a walk over batch headers towards {@code position} can begin there.
   */
  int indexFloorOfPosition(int position) {
    int entries = indexEntries;
    int[] positions = indexPositions;
    int lo = 0;
    int hi = Math.min(entries, positions.length) - 1;
    int found = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (positions[mid] <= position) {
        found = positions[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  TimestampAndOffset searchForTimestamp(long timestamp, long startingOffset) throws IOException {
    int from = indexFloorPosition(startingOffset);
    return files.use(
        this,
        records -> records.searchForTimestamp(timestamp, from, startingOffset, Integer.MAX_VALUE));
  }

  /** The largest timestamp of the segment's first batch, or -1 when it has none. */
  long firstBatchTimestamp() throws IOException {
    return files.use(
        this,
        records -> {
          for (RecordBatch batch : records.batches()) {
            return batch.maxTimestamp();
          }
          return RecordBatch.NO_TIMESTAMP;
        });
  }

  TimestampAndOffset largestTimestamp() throws IOException {
    return files.use(this, records -> records.largestTimestampAfter(0));
  }

  void flush() throws IOException {
    files.use(
        this,
        records -> {
          records.flush();
          return null;
        });
  }

  /**
   * Called when the segment stops being the active one: forces it and saves its offset index and
   * its aborted transactions.
   */
  void seal() throws IOException {
    flush();
    writeIndex();
    abortedTxns.write();
  }

  void close() {
    files.close(this);
  }

  /**
   * Called when compaction put a cleaned copy of this segment in its place: the file at its path is
   * the copy now, so this segment's file is never opened again (a reader that finds it gone reads
   * the copy); a reader using it now keeps the old file until it is done.
   */
  void retire() {
    deleted = true;
    files.close(this);
  }

  void delete() throws IOException {
    deleted = true;
    files.close(this);
    Files.deleteIfExists(logFile);
    Files.deleteIfExists(indexFile);
    abortedTxns.delete();
  }

  private int indexFloorPosition(long offset) {
    int entries = indexEntries;
    long relative = offset - baseOffset;
    if (entries == 0 || relative < 0) {
      return 0;
    }
    int[] offsets = indexOffsets;
    int lo = 0;
    int hi = entries - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (offsets[mid] <= relative) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : indexPositions[found];
  }

  private void addIndexEntry(long offset, int position) {
    if (indexEntries == indexOffsets.length) {
      indexOffsets = Arrays.copyOf(indexOffsets, indexEntries * 2);
      indexPositions = Arrays.copyOf(indexPositions, indexEntries * 2);
    }
    indexOffsets[indexEntries] = (int) (offset - baseOffset);
    indexPositions[indexEntries] = position;
    indexEntries++;
  }

  private void recover(FileRecords records, Consumer<RecordBatch> onBatch) throws IOException {
    indexEntries = 0;
    bytesSinceIndexEntry = 0;
    int validBytes = 0;
    long expected = baseOffset;
    Iterator<FileChannelRecordBatch> batches = records.batches().iterator();
    try {
      while (batches.hasNext()) {
        FileChannelRecordBatch batch = batches.next();
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2
            || batch.baseOffset() < expected
            || !batch.isValid()) {
          break;
        }
        if (bytesSinceIndexEntry >= INDEX_INTERVAL_BYTES || indexEntries == 0) {
          addIndexEntry(batch.baseOffset(), validBytes);
          bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += batch.sizeInBytes();
        validBytes += batch.sizeInBytes();
        maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
        expected = batch.nextOffset();
        onBatch.accept(batch);
      }
    } catch (KafkaException e) {
      LOG.warn("{}: unreadable batch at position {}: {}", logFile, validBytes, e.getMessage());
    }
    nextOffset = expected;
    if (validBytes < records.sizeInBytes()) {
      LOG.warn(
          "{}: truncating {} bytes of torn or corrupt data after position {}",
          logFile,
          records.sizeInBytes() - validBytes,
          validBytes);
      records.truncateTo(validBytes);
      records.flush();
    }
    size = validBytes;
  }

  /** Index file: max timestamp, next offset, then (relative offset, position) pairs. */
  private void writeIndex() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(16 + indexEntries * 8);
    buffer.putLong(maxTimestamp).putLong(nextOffset);
    for (int i = 0; i < indexEntries; i++) {
      buffer.putInt(indexOffsets[i]).putInt(indexPositions[i]);
    }
    buffer.flip();
    AtomicFiles.replace(indexFile, buffer);
  }

  private boolean readIndex() throws IOException {
    if (!Files.exists(indexFile)) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(indexFile);
    if (bytes.length < 16 || (bytes.length - 16) % 8 != 0) {
      return false;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long maxTs = buffer.getLong();
    long next = buffer.getLong();
    int entries = (bytes.length - 16) / 8;
    indexOffsets = new int[Math.max(16, entries)];
    indexPositions = new int[Math.max(16, entries)];
    for (int i = 0; i < entries; i++) {
      indexOffsets[i] = buffer.getInt();
      indexPositions[i] = buffer.getInt();
      if (indexPositions[i] >= size) {
        return false;
      }
    }
    indexEntries = entries;
    maxTimestamp = maxTs;
    nextOffset = next;
    return next >= baseOffset;
  }

  @Override
  public String toString() {
    return logFile.toString();
  }
}
