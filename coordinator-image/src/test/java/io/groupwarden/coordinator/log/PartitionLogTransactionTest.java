package io.groupwarden.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions in one partition: markers, the last stable offset, aborted-transaction indexes. */
class PartitionLogTransactionTest {
  @TempDir Path dir;

  static final TopicPartition TP = new TopicPartition("t", 0);
  static final TopicConfig CONFIG = new TopicConfig(-1, -1, 1024, Long.MAX_VALUE, 1 << 20);
  static final long PID = 7;

  /** A transactional batch of producer {@link #PID} at {@code epoch}, from {@code sequence}. */
  static MemoryRecords txn(short epoch, int sequence, String... values) {
    return MemoryRecords.withTransactionalRecords(
        Compression.NONE, PID, epoch, sequence, records(values));
  }

  static MemoryRecords txn(long producerId, short epoch, int sequence, String... values) {
    return MemoryRecords.withTransactionalRecords(
        Compression.NONE, producerId, epoch, sequence, records(values));
  }

  static MemoryRecords plain(String... values) {
    return MemoryRecords.withRecords(Compression.NONE, records(values));
  }

  static SimpleRecord[] records(String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(1000L + i, ("k" + values[i]).getBytes(), values[i].getBytes());
    }
    return records;
  }

  static PartitionLog open(Path dir) throws IOException {
    return PartitionLog.open(TP, dir, () -> CONFIG, () -> 5000L, new SegmentFiles(2));
  }

  /** The values a read_committed consumer keeps, dropping aborted transactions as Kafka's does. */
  static List<String> readCommitted(PartitionLog log) {
    List<String> values = new ArrayList<>();
    long next = log.logStartOffset();
    while (next < log.lastStableOffset()) {
      PartitionLog.ReadResult result = log.read(next, 1 << 20, true, true);
      assertThat(result.abortedTransactions()).isNotNull();
      for (RecordBatch batch : result.records().batches()) {
        boolean aborted =
            result.abortedTransactions().stream()
                .anyMatch(
                    a ->
                        a.producerId() == batch.producerId()
                            && a.firstOffset() <= batch.baseOffset()
                            && batch.baseOffset() <= a.lastOffset());
        if (!batch.isControlBatch() && !aborted) {
          for (Record record : batch) {
            values.add(value(record));
          }
        }
        next = batch.nextOffset();
      }
    }
    return values;
  }

  static List<String> readUncommitted(PartitionLog log) {
    List<String> values = new ArrayList<>();
    long next = log.logStartOffset();
    while (next < log.highWatermark()) {
      PartitionLog.ReadResult result = log.read(next, 1 << 20, true);
      assertThat(result.abortedTransactions()).isNull();
      for (RecordBatch batch : result.records().batches()) {
        if (!batch.isControlBatch()) {
          for (Record record : batch) {
            values.add(value(record));
          }
        }
        next = batch.nextOffset();
      }
    }
    return values;
  }

  static String value(Record record) {
    byte[] bytes = new byte[record.valueSize()];
    record.value().get(bytes);
    return new String(bytes);
  }

  @Test
  void aTransactionHoldsBackTheStableOffsetUntilItsCommitMarker() throws Exception {
    PartitionLog log = open(dir);
    log.append(plain("a"));
    assertThat(log.append(txn((short) 0, 0, "t1", "t2"), true).error()).isEqualTo(Errors.NONE);
    log.append(plain("b"));
    log.sync();
    assertThat(log.highWatermark()).isEqualTo(4);
    assertThat(log.lastStableOffset()).isEqualTo(1);
    assertThat(readCommitted(log)).containsExactly("a");
    assertThat(readUncommitted(log)).containsExactly("a", "t1", "t2", "b");

    PartitionLog.AppendResult marker = log.appendMarker(PID, (short) 0, 0, true);
    assertThat(marker.baseOffset()).isEqualTo(4);
    assertThat(log.lastStableOffset()).as("stable only once the marker is durable").isEqualTo(1);
    log.sync();
    assertThat(log.lastStableOffset()).isEqualTo(5);
    assertThat(readCommitted(log)).containsExactly("a", "t1", "t2", "b");
    assertThat(log.abortedTransactions(0, 5)).isEmpty();
    log.close();
  }

  @Test
  void anAbortedTransactionIsListedForReadCommittedReadersAndItsRecordsStayForOthers()
      throws Exception {
    PartitionLog log = open(dir);
    log.append(txn((short) 0, 0, "lost1"), true);
    log.append(plain("kept"));
    log.append(txn((short) 0, 1, "lost2"));
    log.appendMarker(PID, (short) 0, 0, false);
    log.sync();
    assertThat(log.abortedTransactions(0, log.highWatermark()))
        .containsExactly(new AbortedTxn(PID, 0, 3, 4));
    assertThat(readCommitted(log)).containsExactly("kept");
    assertThat(readUncommitted(log)).containsExactly("lost1", "kept", "lost2");
    log.close();
  }

  @Test
  void aTransactionalBatchOpensATransactionOnlyWhenTheCoordinatorVerifiedIt() throws Exception {
    PartitionLog log = open(dir);
    PartitionLog.AppendResult refused = log.append(txn((short) 0, 0, "x"), false);
    assertThat(refused.error()).isEqualTo(Errors.INVALID_TXN_STATE);
    assertThat(log.logEndOffset()).isZero();

    assertThat(log.append(txn((short) 0, 0, "x"), true).error()).isEqualTo(Errors.NONE);
    assertThat(log.inTransaction(PID, (short) 0)).isTrue();
    assertThat(log.append(txn((short) 0, 1, "y"), false).error())
        .as("continuing an open transaction needs no verification")
        .isEqualTo(Errors.NONE);
    log.close();
  }

  @Test
  void clientsCannotWriteControlBatches() throws Exception {
    PartitionLog log = open(dir);
    MemoryRecords forged =
        MemoryRecords.withEndTransactionMarker(
            0L, 1000L, 0, PID, (short) 0, new EndTransactionMarker(ControlRecordType.COMMIT, 0));
    assertThat(log.append(forged, true).error()).isEqualTo(Errors.INVALID_RECORD);
    log.close();
  }

  @Test
  void aMarkerWithTheNextEpochFencesTheOldEpochAndSequencesRestart() throws Exception {
    PartitionLog log = open(dir);
    log.append(txn((short) 3, 0, "a", "b"), true);
    log.appendMarker(PID, (short) 4, 0, true);
    assertThat(log.append(txn((short) 3, 2, "late"), true).error())
        .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    assertThat(log.append(txn((short) 4, 0, "next"), true).error()).isEqualTo(Errors.NONE);
    log.close();
  }

  @Test
  void aMarkerForAPartitionTheTransactionDidNotWriteToIsNotWritten() throws Exception {
    PartitionLog log = open(dir);
    assertThat(log.appendMarker(PID, (short) 0, 0, true).baseOffset()).isEqualTo(-1);
    log.append(txn((short) 0, 0, "a"), true);
    assertThat(log.appendMarker(PID, (short) 0, 0, true).baseOffset()).isEqualTo(1);
    assertThat(log.appendMarker(PID, (short) 0, 0, true).baseOffset())
        .as("a repeated marker (the coordinator retrying after a restart) writes nothing")
        .isEqualTo(-1);
    log.close();
  }

  @Test
  void aTransactionOpenedManySegmentsAgoIsStillOpenAfterARestart() throws Exception {
    PartitionLog log = open(dir);
    log.append(txn(99, (short) 0, 0, "old"), true);
    for (int i = 0; i < 60; i++) {
      log.append(plain("filler-" + i + "-" + "x".repeat(60)));
    }
    log.sync();
    long stable = log.lastStableOffset();
    assertThat(stable).isZero();
    log.close();
    assertThat(segmentFiles(dir, ".log")).hasSizeGreaterThan(3);
    assertThat(segmentFiles(dir, ".snapshot")).isNotEmpty();

    PartitionLog reopened = open(dir);
    assertThat(reopened.lastStableOffset()).isZero();
    reopened.appendMarker(99, (short) 0, 0, false);
    reopened.sync();
    assertThat(reopened.lastStableOffset()).isEqualTo(reopened.highWatermark());
    assertThat(readCommitted(reopened)).doesNotContain("old").hasSize(60);
    reopened.close();
  }

  @Test
  void withoutSnapshotsOrTransactionIndexesEverySegmentIsScannedAndTheyAreWrittenAgain()
      throws Exception {
    PartitionLog log = open(dir);
    log.append(txn(5, (short) 0, 0, "aborted-" + "y".repeat(60)), true);
    for (int i = 0; i < 20; i++) {
      log.append(plain("filler-" + i + "-" + "x".repeat(60)));
    }
    log.appendMarker(5, (short) 0, 0, false);
    log.append(txn(6, (short) 0, 0, "open"), true);
    for (int i = 0; i < 20; i++) {
      log.append(plain("more-" + i + "-" + "x".repeat(60)));
    }
    log.sync();
    List<AbortedTxn> aborted = log.abortedTransactions(0, log.highWatermark());
    long stable = log.lastStableOffset();
    log.close();
    for (Path file : segmentFiles(dir, ".snapshot")) {
      Files.delete(file);
    }
    for (Path file : segmentFiles(dir, ".txnindex")) {
      Files.delete(file);
    }

    PartitionLog reopened = open(dir);
    assertThat(reopened.abortedTransactions(0, reopened.highWatermark())).isEqualTo(aborted);
    assertThat(reopened.lastStableOffset()).isEqualTo(stable).isEqualTo(22);
    assertThat(segmentFiles(dir, ".txnindex")).isNotEmpty();
    assertThat(segmentFiles(dir, ".snapshot")).isNotEmpty();
    reopened.close();
  }

  @Test
  void theAbortedIndexOfTheActiveSegmentIsRebuiltFromTheLogAfterACrash() throws Exception {
    PartitionLog log = open(dir);
    log.append(txn((short) 0, 0, "gone"), true);
    log.appendMarker(PID, (short) 0, 0, false);
    log.append(plain("stays"));
    log.sync();
    // no close: the active segment's index exists only in memory, as after a SIGKILL
    PartitionLog reopened = open(dir);
    assertThat(reopened.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 1, 2));
    assertThat(readCommitted(reopened)).containsExactly("stays");
    reopened.close();
  }

  @Test
  void deleteRecordsMovesTheLogStartDurablyAndDropsWholeSegments() throws Exception {
    PartitionLog log = open(dir);
    for (int i = 0; i < 50; i++) {
      log.append(plain("r" + i + "-" + "x".repeat(60)));
    }
    log.sync();
    int segmentsBefore = segmentFiles(dir, ".log").size();
    assertThat(log.deleteRecordsBefore(30)).isEqualTo(30);
    assertThat(log.logStartOffset()).isEqualTo(30);
    assertThat(segmentFiles(dir, ".log").size()).isLessThan(segmentsBefore);
    assertThat(log.read(29, 1 << 20, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    assertThat(log.deleteRecordsBefore(10)).as("the start never moves back").isEqualTo(30);
    assertThatThrownBy(() -> log.deleteRecordsBefore(51))
        .isInstanceOf(OffsetOutOfRangeException.class);
    log.close();

    PartitionLog reopened = open(dir);
    assertThat(reopened.logStartOffset()).isEqualTo(30);
    assertThat(reopened.deleteRecordsBefore(-1)).isEqualTo(50);
    reopened.close();
  }

  static List<Path> segmentFiles(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }
}
