package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition's files after a clean stop or a crash: the segments (the last one scanned and
 * cut at a torn tail), the producer state and the aborted-transaction index of every segment.
 *
 * <p>The producer state comes from the snapshot written when the log rolled to the active segment;
 * the segments after the newest usable snapshot are scanned batch by batch, applying data batches
 * and transaction markers, so a transaction that began many segments ago is still known to be open.
 * Without a usable snapshot (or when a rolled segment lacks its transaction index, as in data
 * directories from before transactions) every segment is scanned from the start, and what was
 * missing is written, so the next start is quick again.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
  static final String LOG_START_FILE = "log-start-offset";

  /** What a partition is made of once opened. */
  record Loaded(
      TreeMap<Long, LogSegment> segments, ProducerStateTable producers, long logStartOffset) {}

  private final Path dir;
  private final long nowMs;
  private final SegmentFiles files;
  private final ProducerStateTable producers = new ProducerStateTable();

  private LogRecovery(Path dir, long nowMs, SegmentFiles files) {
    this.dir = dir;
    this.nowMs = nowMs;
    this.files = files;
  }

  /**
   * Opens the partition in {@code dir}; its segments' files are opened and closed by {@code files}.
   */
  static Loaded open(Path dir, long nowMs, SegmentFiles files) throws IOException {
    return new LogRecovery(dir, nowMs, files).load();
  }

  private Loaded load() throws IOException {
    List<Long> bases = new ArrayList<>();
    TreeSet<Long> snapshots = new TreeSet<>();
    try (Stream<Path> listed = Files.list(dir)) {
      for (Path file : listed.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".log")) {
          bases.add(Long.parseLong(name.substring(0, name.length() - 4)));
        } else if (name.endsWith(ProducerStateSnapshot.SUFFIX)) {
          snapshots.add(Long.parseLong(name.substring(0, name.indexOf('.'))));
        } else if (name.endsWith(".tmp") || name.endsWith(LogCleaner.CLEANED_SUFFIX)) {
          // half-written index, snapshot or cleaned segment: the originals are intact
          Files.deleteIfExists(file);
        }
      }
    }
    bases.sort(Long::compare);
    TreeMap<Long, LogSegment> segments = new TreeMap<>();
    if (bases.isEmpty()) {
      segments.put(0L, LogSegment.create(dir, 0, files, nowMs));
      AtomicFiles.syncDirectory(dir);
      return new Loaded(segments, producers, 0);
    }
    long activeBase = bases.get(bases.size() - 1);
    long scanFrom = chooseSnapshot(bases, snapshots, activeBase);
    boolean wroteActiveSnapshot = scanFrom == activeBase;
    for (long base : bases) {
      boolean active = base == activeBase;
      if (active && !wroteActiveSnapshot) {
        // The state as of the active segment's base: what the snapshot at the next roll would hold.
        ProducerStateSnapshot.write(dir, activeBase, producers.producers());
      }
      LogSegment segment;
      if (base < scanFrom) {
        segment = LogSegment.open(dir, base, false, b -> {}, files, nowMs);
        segment.abortedTxns().read();
      } else {
        List<AbortedTxn> aborted = new ArrayList<>();
        segment = LogSegment.open(dir, base, active, b -> apply(b, aborted), files, nowMs);
        if (!active) {
          segment.forEachBatch(b -> apply(b, aborted));
        }
        aborted.forEach(segment.abortedTxns()::add);
        if (!active) {
          segment.abortedTxns().write();
        }
      }
      segments.put(base, segment);
    }
    // the snapshots of the active segment and the one before it are kept; older ones are not needed
    long keepFrom = lowerBase(segments, activeBase);
    for (long offset : snapshots) {
      if (offset < keepFrom || offset > activeBase) {
        ProducerStateSnapshot.delete(dir, offset);
      }
    }
    long logStart = Math.max(segments.firstKey(), readLogStartOffset(dir));
    long logEnd = segments.lastEntry().getValue().nextOffset();
    return new Loaded(segments, producers, Math.min(logStart, logEnd));
  }

  private static long lowerBase(TreeMap<Long, LogSegment> segments, long activeBase) {
    Long lower = segments.lowerKey(activeBase);
    return lower == null ? activeBase : lower;
  }

  /**
   * Restores the newest snapshot that can be trusted and returns the offset the scan starts from:
   * the first segment's base when there is none.
   */
  private long chooseSnapshot(List<Long> bases, TreeSet<Long> snapshots, long activeBase)
      throws IOException {
    long first = bases.get(0);
    for (long base : bases) {
      if (base != activeBase && !Files.exists(TransactionIndex.file(dir, base))) {
        LOG.info("{}: segment {} has no transaction index; scanning every segment", dir, base);
        return first;
      }
    }
    for (Long offset = snapshots.floor(activeBase);
        offset != null;
        offset = snapshots.lower(offset)) {
      if (!bases.contains(offset)) {
        continue;
      }
      List<ProducerStateTable.Producer> restored =
          ProducerStateSnapshot.read(ProducerStateSnapshot.file(dir, offset));
      if (restored != null) {
        producers.restore(restored, nowMs);
        return offset;
      }
      LOG.warn("{}: producer state snapshot {} is damaged; trying an older one", dir, offset);
    }
    if (bases.size() > 1) {
      LOG.info("{}: no producer state snapshot; scanning every segment", dir);
    }
    return first;
  }

  /** Applies one batch of a scan to the producer state; an abort marker goes to {@code aborted}. */
  private void apply(RecordBatch batch, List<AbortedTxn> aborted) {
    if (!batch.hasProducerId()) {
      return;
    }
    if (!batch.isControlBatch()) {
      producers.record(batch, nowMs);
      return;
    }
    Record first = batch.iterator().next();
    ControlRecordType type = ControlRecordType.parse(first.key());
    if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
      return;
    }
    EndTransactionMarker marker = EndTransactionMarker.deserialize(first);
    ProducerStateTable.CompletedTxn completed =
        producers.complete(
            batch.producerId(),
            batch.producerEpoch(),
            marker.coordinatorEpoch(),
            type == ControlRecordType.COMMIT,
            batch.baseOffset(),
            batch.maxTimestamp(),
            nowMs);
    if (completed != null && completed.aborted()) {
      aborted.add(
          new AbortedTxn(
              completed.producerId(),
              completed.firstOffset(),
              completed.lastOffset(),
              Math.min(producers.firstUnstableOffset(), batch.baseOffset() + 1)));
    }
  }

  static long readLogStartOffset(Path dir) throws IOException {
    Path file = dir.resolve(LOG_START_FILE);
    try {
      return AtomicFiles.readLong(file, 0);
    } catch (NumberFormatException e) {
      LOG.warn("{}: unreadable {}; the log starts at its first segment", dir, file);
      return 0;
    }
  }
}
