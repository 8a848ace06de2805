package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetention;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetentionResult;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction of topics with {@code cleanup.policy=compact}: in the rolled segments below the last
 * stable offset, only the newest record of each key is kept, records of aborted transactions are
 * dropped, and a tombstone (a record without a value) goes once it is older than {@code
 * delete.retention.ms}. Offsets never change; a consumer reading a compacted partition sees gaps.
 *
 * <p>As in Kafka, the part written since the last cleaning (the dirty part) is indexed key by key
 * (a 128-bit hash of each key and its newest offset), and every rolled segment is rewritten through
 * kafka-clients' own {@link MemoryRecords#filterTo} keeping what the index says is newest. A
 * partition is cleaned when its dirty part is at least {@code min.cleanable.dirty.ratio} of the
 * cleanable bytes, or when its oldest dirty record (by the timestamp of the first dirty segment's
 * first batch, as Kafka judges it) is older than {@code max.compaction.lag.ms}. A cleaned segment
 * replaces the original with one rename, so a crash leaves either; readers still holding the
 * original finish on it, and it is closed a minute later. A segment left without any batch is
 * dropped (all but the first), so a topic whose keys are rewritten over and over does not gather
 * empty segment files.
 */
public final class LogCleaner {
  private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
  static final String CLEANED_SUFFIX = ".cleaned";
  static final String CHECKPOINT_FILE = "cleaner-offset";
  private static final int READ_CHUNK_BYTES = 1 << 20;

  /** The most keys one pass indexes; a larger dirty part is cleaned over several passes. */
  private final int maxKeysPerPass;

  /** What one pass did to a partition. */
  public record Result(int segments, long bytesBefore, long bytesAfter, long cleanedUpTo) {}

  public LogCleaner(int maxKeysPerPass) {
    this.maxKeysPerPass = maxKeysPerPass;
  }

  /** A key's 128-bit hash: what the index compares instead of the key's bytes. */
  private record KeyHash(long high, long low) {
    static KeyHash of(ByteBuffer key, MessageDigest md5) {
      md5.reset();
      md5.update(key.duplicate());
      ByteBuffer digest = ByteBuffer.wrap(md5.digest());
      return new KeyHash(digest.getLong(), digest.getLong());
    }
  }

  /** Cleans the partition if it is compacted and dirty enough; null when nothing was done. */
  public Result maybeClean(PartitionLog log) throws IOException {
    return clean(log, false);
  }

  /**
   * Cleans the partition.
   *
   * @param force clean even when less than {@code min.cleanable.dirty.ratio} is dirty and nothing
   *     dirty is older than {@code max.compaction.lag.ms}
   */
  public Result clean(PartitionLog log, boolean force) throws IOException {
    TopicConfig config = log.topicConfig();
    if (!config.compact()) {
      return null;
    }
    synchronized (log.maintenanceLock()) {
      long now = log.now();
      long stable = log.lastStableOffset();
      List<LogSegment> cleanable = new ArrayList<>();
      for (LogSegment segment : log.rolledSegments()) {
        boolean lagging =
            config.minCompactionLagMs() > 0
                && segment.maxTimestamp() > now - config.minCompactionLagMs();
        if (segment.nextOffset() > stable || lagging) {
          break;
        }
        cleanable.add(segment);
      }
      if (cleanable.isEmpty()) {
        return null;
      }
      long cleanedUpTo = readCheckpoint(log.directory());
      long total = 0;
      long dirty = 0;
      for (LogSegment segment : cleanable) {
        total += segment.sizeInBytes();
        if (segment.baseOffset() >= cleanedUpTo) {
          dirty += segment.sizeInBytes();
        }
      }
      if (dirty == 0) {
        return null;
      }
      if (!force
          && dirty < config.minCleanableDirtyRatio() * total
          && !overdue(config, cleanable, cleanedUpTo, now)) {
        return null;
      }
      return cleanSegments(log, config, cleanable, cleanedUpTo, now);
    }
  }

  /** True when the first dirty segment began longer than {@code max.compaction.lag.ms} ago. */
  private static boolean overdue(
      TopicConfig config, List<LogSegment> cleanable, long cleanedUpTo, long now)
      throws IOException {
    if (config.maxCompactionLagMs() == Long.MAX_VALUE) {
      return false;
    }
    for (LogSegment segment : cleanable) {
      if (segment.baseOffset() >= cleanedUpTo) {
        long first = segment.firstBatchTimestamp();
        return first >= 0 && now - first > config.maxCompactionLagMs();
      }
    }
    return false;
  }

  private Result cleanSegments(
      PartitionLog log, TopicConfig config, List<LogSegment> cleanable, long cleanedUpTo, long now)
      throws IOException {
    MessageDigest md5 = md5();
    Map<KeyHash, Long> newest = new HashMap<>();
    long end = cleanable.get(0).baseOffset();
    long lastCleanableEnd = cleanable.get(cleanable.size() - 1).nextOffset();
    Map<Long, List<AbortedTxn>> aborted = abortedByProducer(log, lastCleanableEnd);
    // Index the dirty part, a whole segment at a time, as far as the key budget allows.
    for (LogSegment segment : cleanable) {
      if (segment.nextOffset() <= cleanedUpTo) {
        end = segment.nextOffset();
        continue;
      }
      Map<KeyHash, Long> keys = new HashMap<>();
      segment.forEachBatch(
          batch -> {
            if (batch.isControlBatch() || isAborted(batch, aborted)) {
              return;
            }
            for (Record record : batch) {
              if (record.hasKey()) {
                keys.put(KeyHash.of(record.key(), md5), record.offset());
              }
            }
          });
      if (!newest.isEmpty() && newest.size() + keys.size() > maxKeysPerPass) {
        break;
      }
      newest.putAll(keys);
      end = segment.nextOffset();
    }
    long bytesBefore = 0;
    long bytesAfter = 0;
    int rewritten = 0;
    int dropped = 0;
    Set<Long> retainedSinceMarker = new HashSet<>();
    for (LogSegment segment : cleanable) {
      if (segment.baseOffset() >= end) {
        break;
      }
      bytesBefore += segment.sizeInBytes();
      LogSegment cleaned =
          rewrite(log, segment, newest, aborted, retainedSinceMarker, config, now, md5);
      bytesAfter += cleaned.sizeInBytes();
      rewritten++;
      if (log.removeEmptySegment(cleaned)) {
        dropped++;
      }
    }
    writeCheckpoint(log.directory(), end);
    LOG.info(
        "{}: compacted {} segments up to offset {}: {} -> {} bytes, {} empty segments dropped",
        log.partition(),
        rewritten,
        end,
        bytesBefore,
        bytesAfter,
        dropped);
    return new Result(rewritten, bytesBefore, bytesAfter, end);
  }

  /** Writes the retained batches of a segment beside it, then puts the copy in its place. */
  private LogSegment rewrite(
      PartitionLog log,
      LogSegment segment,
      Map<KeyHash, Long> newest,
      Map<Long, List<AbortedTxn>> aborted,
      Set<Long> retainedSinceMarker,
      TopicConfig config,
      long now,
      MessageDigest md5)
      throws IOException {
    Path dir = log.directory();
    Path target = LogSegment.logFile(dir, segment.baseOffset());
    Path cleanedFile = target.resolveSibling(target.getFileName() + CLEANED_SUFFIX);
    RecordFilter filter =
        new RecordFilter(now, config.deleteRetentionMs()) {
          @Override
          protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            if (batch.isControlBatch()) {
              // A marker is needed while records of its transaction remain before it.
              boolean needed =
                  retainedSinceMarker.remove(batch.producerId())
                      || batch.maxTimestamp() > now - config.deleteRetentionMs();
              return new BatchRetentionResult(
                  needed ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE, false);
            }
            if (isAborted(batch, aborted)) {
              return new BatchRetentionResult(BatchRetention.DELETE, false);
            }
            return new BatchRetentionResult(BatchRetention.DELETE_EMPTY, false);
          }

          @Override
          protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            boolean keep = true;
            if (record.hasKey()) {
              Long latest = newest.get(KeyHash.of(record.key(), md5));
              keep = latest == null || latest <= record.offset();
            }
            if (keep && !record.hasValue()) {
              keep = record.timestamp() > now - config.deleteRetentionMs();
            }
            if (keep && batch.isTransactional()) {
              retainedSinceMarker.add(batch.producerId());
            }
            return keep;
          }
        };
    try (FileRecords out = FileRecords.open(cleanedFile.toFile())) {
      int position = 0;
      int size = segment.sizeInBytes();
      ByteBuffer scratch = ByteBuffer.allocate(READ_CHUNK_BYTES);
      while (position < size) {
        ByteBuffer chunk = segment.read(position, Math.min(READ_CHUNK_BYTES, size - position));
        MemoryRecords input = MemoryRecords.readableRecords(chunk);
        int whole = 0;
        for (RecordBatch batch : input.batches()) {
          whole += batch.sizeInBytes();
        }
        if (whole == 0) {
          // one batch larger than the chunk: read exactly it
          int batchSize = chunk.getInt(8) + 12;
          chunk = segment.read(position, batchSize);
          input = MemoryRecords.readableRecords(chunk);
          whole = batchSize;
        } else if (whole < chunk.limit()) {
          chunk.limit(whole);
          input = MemoryRecords.readableRecords(chunk.slice());
        }
        scratch.clear();
        MemoryRecords.FilterResult result =
            input.filterTo(filter, scratch, BufferSupplier.NO_CACHING, Integer.MAX_VALUE);
        ByteBuffer output = result.outputBuffer();
        output.flip();
        if (output.hasRemaining()) {
          out.append(MemoryRecords.readableRecords(output));
        }
        if (output.capacity() > scratch.capacity()) {
          scratch = ByteBuffer.allocate(output.capacity());
        }
        position += whole;
      }
      out.flush();
    }
    // Without its offset index a segment is rescanned on start-up: a crash between the renames
    // below can never pair the cleaned file with the old positions.
    Files.deleteIfExists(LogSegment.indexFile(dir, segment.baseOffset()));
    AtomicFiles.syncDirectory(dir);
    Files.move(
        cleanedFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    AtomicFiles.syncDirectory(dir);
    LogSegment cleaned =
        LogSegment.open(
            dir, segment.baseOffset(), true, b -> {}, log.files(), segment.createdAtMs());
    segment.abortedTxns().entries().forEach(cleaned.abortedTxns()::add);
    cleaned.seal();
    log.replaceSegment(cleaned).retire();
    return cleaned;
  }

  /** The aborted transactions of the log up to {@code end}, by producer. */
  private static Map<Long, List<AbortedTxn>> abortedByProducer(PartitionLog log, long end) {
    Map<Long, List<AbortedTxn>> byProducer = new HashMap<>();
    for (AbortedTxn txn : log.abortedTransactions(log.logStartOffset(), end)) {
      byProducer.computeIfAbsent(txn.producerId(), p -> new ArrayList<>()).add(txn);
    }
    return byProducer;
  }

  private static boolean isAborted(RecordBatch batch, Map<Long, List<AbortedTxn>> aborted) {
    if (!batch.isTransactional()) {
      return false;
    }
    List<AbortedTxn> txns = aborted.get(batch.producerId());
    if (txns == null) {
      return false;
    }
    for (AbortedTxn txn : txns) {
      if (txn.firstOffset() <= batch.baseOffset() && batch.baseOffset() <= txn.lastOffset()) {
        return true;
      }
    }
    return false;
  }

  static long readCheckpoint(Path dir) throws IOException {
    try {
      return AtomicFiles.readLong(dir.resolve(CHECKPOINT_FILE), 0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void writeCheckpoint(Path dir, long offset) throws IOException {
    AtomicFiles.replace(dir.resolve(CHECKPOINT_FILE), Long.toString(offset));
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }
}
