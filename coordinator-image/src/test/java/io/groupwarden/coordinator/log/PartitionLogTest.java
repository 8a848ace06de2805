package io.groupwarden.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
  @TempDir Path dir;

  static final TopicConfig CONFIG = new TopicConfig(-1, -1, 4096, Long.MAX_VALUE, 1 << 20);
  static final TopicPartition TP = new TopicPartition("t", 0);

  /** Two idle files at most, so that these tests also close and reopen segment files. */
  final SegmentFiles files = new SegmentFiles(2);

  static MemoryRecords batch(String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(1000L + i, null, values[i].getBytes());
    }
    return MemoryRecords.withRecords(Compression.NONE, records);
  }

  PartitionLog open(Path dir) throws IOException {
    return PartitionLog.open(TP, dir, () -> CONFIG, () -> 5000L, files);
  }

  /** The test's log directory with each value appended as a batch of its own, synced, closed. */
  void writeLog(String... values) throws IOException {
    PartitionLog log = open(dir);
    for (String value : values) {
      log.append(batch(value));
    }
    log.sync();
    log.close();
  }

  static Path firstSegment(Path dir) {
    return dir.resolve(String.format("%020d.log", 0));
  }

  static List<String> readAll(PartitionLog log) {
    List<String> values = new ArrayList<>();
    long next = log.logStartOffset();
    while (next < log.highWatermark()) {
      PartitionLog.ReadResult result = log.read(next, 1 << 20, true);
      for (RecordBatch batch : result.records().batches()) {
        for (Record record : batch) {
          byte[] bytes = new byte[record.valueSize()];
          record.value().get(bytes);
          values.add(new String(bytes));
        }
        next = batch.nextOffset();
      }
    }
    return values;
  }

  @Test
  void appendsAreAssignedConsecutiveOffsetsAndBecomeReadableOnceSynced() throws Exception {
    PartitionLog log = open(dir);
    assertThat(log.append(batch("a", "b")).baseOffset()).isEqualTo(0);
    assertThat(log.append(batch("c")).baseOffset()).isEqualTo(2);
    assertThat(log.highWatermark()).isZero();
    log.sync();
    assertThat(log.highWatermark()).isEqualTo(3);
    assertThat(readAll(log)).containsExactly("a", "b", "c");
    log.close();
  }

  @Test
  void segmentsRollAndTheirIndexFindsOffsetsAfterReopening() throws Exception {
    PartitionLog log = open(dir);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String value = "value-" + i + "-" + "x".repeat(100);
      log.append(batch(value));
      written.add(value);
    }
    log.sync();
    log.close();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".log")).count()).isGreaterThan(3);
    }
    PartitionLog reopened = open(dir);
    assertThat(reopened.highWatermark()).isEqualTo(200);
    assertThat(readAll(reopened)).isEqualTo(written);
    PartitionLog.ReadResult middle = reopened.read(150, 1 << 20, true);
    assertThat(middle.records().batches().iterator().next().baseOffset()).isEqualTo(150);
    reopened.close();
  }

  @Test
  void aTornTailIsCutOffAndEverythingBeforeItIsServed() throws Exception {
    writeLog("kept-1", "kept-2");
    Path segment = firstSegment(dir);
    MemoryRecords third = batch("torn");
    try (FileChannel channel =
        FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer partial = third.buffer().duplicate();
      partial.limit(partial.limit() - 5);
      channel.write(partial);
    }

    PartitionLog recovered = open(dir);
    assertThat(recovered.highWatermark()).isEqualTo(2);
    assertThat(readAll(recovered)).containsExactly("kept-1", "kept-2");
    assertThat(recovered.append(batch("after")).baseOffset()).isEqualTo(2);
    recovered.sync();
    assertThat(readAll(recovered)).containsExactly("kept-1", "kept-2", "after");
    recovered.close();
  }

  @Test
  void aBatchThatFailsItsCrcIsCutWithEverythingAfterIt() throws Exception {
    writeLog("good", "corrupted", "after-corruption");
    Path segment = firstSegment(dir);
    byte[] bytes = Files.readAllBytes(segment);
    int secondBatch = batch("good").sizeInBytes();
    bytes[secondBatch + 70] ^= 0x55; // inside the second batch's records
    Files.write(segment, bytes);

    PartitionLog recovered = open(dir);
    assertThat(readAll(recovered)).containsExactly("good");
    recovered.close();
  }

  @Test
  void aBadBatchIsRefusedAndNothingIsWritten() throws Exception {
    PartitionLog log = open(dir);
    MemoryRecords bad = batch("x");
    bad.buffer().put(bad.sizeInBytes() - 1, (byte) 42);
    assertThat(log.append(bad).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
    assertThat(log.logEndOffset()).isZero();
    log.close();
  }

  @Test
  void retentionBySizeDeletesTheOldestSegments() throws Exception {
    TopicConfig small = new TopicConfig(-1, 2000, 1024, Long.MAX_VALUE, 1 << 20);
    PartitionLog log = PartitionLog.open(TP, dir, () -> small, () -> 5000L, files);
    for (int i = 0; i < 50; i++) {
      log.append(batch("v" + i + "x".repeat(200)));
    }
    log.sync();
    log.applyRetention();
    assertThat(log.logStartOffset()).isGreaterThan(0);
    assertThat(log.sizeInBytes()).isLessThan(2000 + 1024);
    assertThat(log.read(0, 1000, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    log.close();
  }

  @Test
  void retentionByTimeDeletesSegmentsWhoseNewestRecordIsTooOld() throws Exception {
    TopicConfig oneSecond = new TopicConfig(1_000, -1, 1024, Long.MAX_VALUE, 1 << 20);
    long[] now = {0};
    PartitionLog log = PartitionLog.open(TP, dir, () -> oneSecond, () -> now[0], files);
    for (int i = 0; i < 40; i++) {
      // batch() stamps records 1000, 1001, ...: every batch is at 1000 or 1001 here
      log.append(batch("v" + i + "x".repeat(200)));
    }
    log.sync();
    now[0] = 1_500;
    log.applyRetention();
    assertThat(log.logStartOffset()).isZero();
    now[0] = 2_500;
    log.applyRetention();
    assertThat(log.logStartOffset()).isPositive();
    assertThat(log.logStartOffset()).isLessThan(40); // the active segment always stays
    log.close();
  }

  @Test
  void aRetriedIdempotentBatchIsAcknowledgedWithItsFirstOffsetAndAGapIsRefused() throws Exception {
    PartitionLog log = open(dir);
    MemoryRecords first =
        MemoryRecords.withIdempotentRecords(
            Compression.NONE, 7L, (short) 0, 0, new SimpleRecord("a".getBytes()));
    MemoryRecords retry =
        MemoryRecords.withIdempotentRecords(
            Compression.NONE, 7L, (short) 0, 0, new SimpleRecord("a".getBytes()));
    MemoryRecords gap =
        MemoryRecords.withIdempotentRecords(
            Compression.NONE, 7L, (short) 0, 5, new SimpleRecord("b".getBytes()));
    assertThat(log.append(first).baseOffset()).isZero();
    PartitionLog.AppendResult duplicate = log.append(retry);
    assertThat(duplicate.error()).isEqualTo(Errors.NONE);
    assertThat(duplicate.baseOffset()).isZero();
    assertThat(log.logEndOffset()).isEqualTo(1);
    assertThat(log.append(gap).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    log.close();
  }
}
