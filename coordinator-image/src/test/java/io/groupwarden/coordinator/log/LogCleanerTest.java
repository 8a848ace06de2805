package io.groupwarden.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
}
