package io.groupwarden.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanerTest {
  @TempDir Path dir;

  static final TopicPartition TP = new TopicPartition("changelog", 0);
  static final TopicConfig COMPACTED =
      new TopicConfig(-1, -1, 1024, Long.MAX_VALUE, 1 << 20)
          .with(Map.of("cleanup.policy", "compact", "delete.retention.ms", "1000"));
  static final long NOW = 10_000;

  static MemoryRecords record(String key, String value, long timestamp) {
    return MemoryRecords.withRecords(
        Compression.NONE,
        new SimpleRecord(timestamp, key.getBytes(), value == null ? null : value.getBytes()));
  }

  static PartitionLog open(Path dir) throws IOException {
    // a bound of two open files: compaction and reads go through closing and reopening files
    return PartitionLog.open(TP, dir, () -> COMPACTED, () -> NOW, new SegmentFiles(2));
  }

  /** Every record of the log: offset -> key=value (value "null" for a tombstone). */
  static Map<Long, String> contents(PartitionLog log) {
    Map<Long, String> contents = new LinkedHashMap<>();
    long next = log.logStartOffset();
    while (next < log.highWatermark()) {
      PartitionLog.ReadResult result = log.read(next, 1 << 20, true);
      for (RecordBatch batch : result.records().batches()) {
        if (!batch.isControlBatch()) {
          for (Record record : batch) {
            contents.put(record.offset(), text(record));
          }
        }
        next = batch.nextOffset();
      }
    }
    return contents;
  }

  static String text(Record record) {
    byte[] key = new byte[record.keySize()];
    record.key().get(key);
    String value = "null";
    if (record.hasValue()) {
      byte[] bytes = new byte[record.valueSize()];
      record.value().get(bytes);
      value = new String(bytes);
    }
    return new String(key) + "=" + value;
  }

  @Test
  void rolledSegmentsKeepOnlyTheNewestRecordOfEachKeyAtItsOriginalOffset() throws Exception {
    PartitionLog log = open(dir);
    Map<String, Long> newestOffset = new HashMap<>();
    for (int round = 0; round < 20; round++) {
      for (int k = 0; k < 5; k++) {
        String key = "key-" + k;
        long offset =
            log.append(record(key, "round-" + round + "-" + "x".repeat(40), NOW)).baseOffset();
        newestOffset.put(key, offset);
      }
    }
    log.append(record("gone", "soon deleted", 1000));
    log.append(record("gone", null, 1000));
    for (int i = 0; i < 30; i++) {
      log.append(record("tail-" + i, "y".repeat(40), NOW));
    }
    log.sync();
    Map<Long, String> before = contents(log);
    long activeBase = log.rolledSegments().get(log.rolledSegments().size() - 1).nextOffset();

    LogCleaner.Result result = new LogCleaner(1000).clean(log, true);

    assertThat(result.bytesAfter()).isLessThan(result.bytesBefore());
    Map<Long, String> after = contents(log);
    assertThat(before).containsAllEntriesOf(after);
    newestOffset.forEach((key, offset) -> assertThat(after).containsKey(offset));
    for (Map.Entry<Long, String> entry : after.entrySet()) {
      String key = entry.getValue().substring(0, entry.getValue().indexOf('='));
      if (newestOffset.containsKey(key) && entry.getKey() < activeBase) {
        assertThat(entry.getKey()).isEqualTo(newestOffset.get(key));
      }
    }
    assertThat(after.values())
        .as("a tombstone older than delete.retention.ms goes with the key it deleted")
        .noneMatch(v -> v.startsWith("gone="));
    log.close();

    PartitionLog reopened = open(dir);
    assertThat(contents(reopened)).isEqualTo(after);
    reopened.close();
  }

  @Test
  void recordsOfAbortedTransactionsAreRemovedAndCommittedOnesKept() throws Exception {
    PartitionLog log = open(dir);
    log.append(
        MemoryRecords.withTransactionalRecords(
            Compression.NONE,
            1L,
            (short) 0,
            0,
            new SimpleRecord(NOW, "a".getBytes(), "aborted".getBytes())),
        true);
    log.append(
        MemoryRecords.withTransactionalRecords(
            Compression.NONE,
            2L,
            (short) 0,
            0,
            new SimpleRecord(NOW, "b".getBytes(), "committed".getBytes())),
        true);
    log.appendMarker(1L, (short) 0, 0, false);
    log.appendMarker(2L, (short) 0, 0, true);
    for (int i = 0; i < 30; i++) {
      log.append(record("filler-" + i, "z".repeat(40), NOW));
    }
    log.sync();

    new LogCleaner(1000).clean(log, true);

    assertThat(contents(log).values()).contains("b=committed").doesNotContain("a=aborted");
    log.close();
  }

  @Test
  void aCompactedTopicRefusesRecordsWithoutKey() throws Exception {
    PartitionLog log = open(dir);
    MemoryRecords keyless =
        MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(NOW, null, "v".getBytes()));
    assertThat(log.append(keyless).error()).isEqualTo(Errors.INVALID_RECORD);
    log.close();
  }

  @Test
  void nothingHappensWhileTooLittleIsDirty() throws Exception {
    PartitionLog log = open(dir);
    for (int i = 0; i < 40; i++) {
      log.append(record("k" + i, "v".repeat(60), NOW));
    }
    log.sync();
    LogCleaner cleaner = new LogCleaner(1000);
    assertThat(cleaner.clean(log, false)).as("everything is dirty the first time").isNotNull();
    assertThat(cleaner.clean(log, false)).as("nothing new since").isNull();
    log.close();
  }

  @Test
  void aRecordOlderThanTheMaxCompactionLagIsCompactedHoweverLittleIsDirty() throws Exception {
    long maxLag = 60_000;
    TopicConfig config =
        COMPACTED.with(
            Map.of(
                "min.cleanable.dirty.ratio",
                "0.9",
                "max.compaction.lag.ms",
                String.valueOf(maxLag)));
    AtomicLong now = new AtomicLong(NOW);
    PartitionLog log = PartitionLog.open(TP, dir, () -> config, now::get, new SegmentFiles(2));
    for (int i = 0; i < 40; i++) {
      log.append(record("k" + i, "v".repeat(60), now.get()));
    }
    log.sync();
    LogCleaner cleaner = new LogCleaner(1000);
    assertThat(cleaner.clean(log, false)).as("everything is dirty the first time").isNotNull();

    // a few updates of one key: far less dirty than the ratio asks for
    now.addAndGet(1_000);
    for (int i = 0; i < 12; i++) {
      log.append(record("k0", "update-" + i + "-" + "u".repeat(50), now.get()));
    }
    log.sync();
    assertThat(cleaner.clean(log, false)).isNull();
    // the oldest dirty record is one of the first writes (at NOW): the segment that was active at
    // the first cleaning, which the updates then filled and rolled
    now.set(NOW + maxLag);
    assertThat(cleaner.clean(log, false)).as("not yet older than the lag").isNull();

    now.incrementAndGet();
    LogCleaner.Result result = cleaner.clean(log, false);
    assertThat(result).as("older than max.compaction.lag.ms").isNotNull();
    assertThat(result.bytesAfter()).isLessThan(result.bytesBefore());
    long rolledEnd = log.rolledSegments().get(log.rolledSegments().size() - 1).nextOffset();
    assertThat(contents(log).entrySet())
        .filteredOn(e -> e.getKey() < rolledEnd && e.getValue().startsWith("k0="))
        .as("k0's older values in the rolled segments are gone")
        .hasSize(1);
    log.close();
  }

  @Test
  void theActiveSegmentOfACompactedTopicRollsOnceOlderThanTheMaxCompactionLag() throws Exception {
    long maxLag = 60_000;
    TopicConfig config =
        COMPACTED.with(Map.of("segment.bytes", "1048576", "max.compaction.lag.ms", "60000"));
    assertThat(config.segmentMs()).isEqualTo(Long.MAX_VALUE);
    AtomicLong now = new AtomicLong(NOW);
    PartitionLog log = PartitionLog.open(TP, dir, () -> config, now::get, new SegmentFiles(2));
    log.append(record("a", "1", now.get()));
    now.addAndGet(maxLag);
    log.append(record("a", "2", now.get()));
    assertThat(log.rolledSegments()).isEmpty();
    now.incrementAndGet();
    log.append(record("a", "3", now.get()));
    assertThat(log.rolledSegments()).hasSize(1);
    log.close();
  }

  @Test
  void segmentsThatCompactionEmptiesAreDroppedAllButTheFirstAndEveryRecordLeftIsRead()
      throws Exception {
    PartitionLog log = open(dir);
    for (int i = 0; i < 60; i++) {
      log.append(record("same", "v" + i + "-" + "x".repeat(60), NOW));
    }
    log.sync();
    assertThat(log.rolledSegments()).hasSizeGreaterThan(5);
    List<LogSegment> rolled = log.rolledSegments();
    LogSegment last = rolled.get(rolled.size() - 1);
    long newestRolled = last.nextOffset() - 1;
    Map<Long, String> kept = new LinkedHashMap<>(contents(log));
    kept.keySet().removeIf(offset -> offset < newestRolled);

    LogCleaner.Result result = new LogCleaner(1000).clean(log, true);

    // the rolled segments keep the key's newest value among them (the active segment is not
    // cleaned): the last keeps one record, the others are empty, and all of those but the first go
    assertThat(result.segments()).isEqualTo(rolled.size());
    assertThat(log.rolledSegments())
        .extracting(LogSegment::baseOffset)
        .containsExactly(0L, last.baseOffset());
    assertThat(log.rolledSegments().get(0).sizeInBytes()).isZero();
    assertThat(PartitionLogTransactionTest.segmentFiles(dir, ".log")).hasSize(3);
    assertThat(PartitionLogTransactionTest.segmentFiles(dir, ".index")).hasSizeLessThan(4);
    assertThat(log.logStartOffset()).isZero();
    assertThat(contents(log)).isEqualTo(kept);
    log.close();

    PartitionLog reopened = open(dir);
    assertThat(contents(reopened)).isEqualTo(kept);
    reopened.append(record("same", "after", NOW));
    assertThat(reopened.logEndOffset()).isEqualTo(61);
    reopened.close();
  }

  @Test
  void withDeleteAlsoRetentionRemovesTheFirstSegmentOnceCompactionEmptiedIt() throws Exception {
    TopicConfig config = COMPACTED.with(Map.of("cleanup.policy", "compact,delete"));
    PartitionLog log = PartitionLog.open(TP, dir, () -> config, () -> NOW, new SegmentFiles(2));
    for (int i = 0; i < 60; i++) {
      log.append(record("same", "v" + i + "-" + "x".repeat(60), NOW));
    }
    log.sync();
    long lastRolledBase = log.rolledSegments().get(log.rolledSegments().size() - 1).baseOffset();
    new LogCleaner(1000).clean(log, true);
    assertThat(log.logStartOffset()).isZero();

    log.applyRetention();

    // the empty first segment goes; the next holds a record and no time or size limit applies
    assertThat(log.rolledSegments())
        .extracting(LogSegment::baseOffset)
        .containsExactly(lastRolledBase);
    assertThat(log.logStartOffset()).isEqualTo(lastRolledBase);
    assertThat(PartitionLogTransactionTest.segmentFiles(dir, ".log")).hasSize(2);
    log.close();
  }
}
