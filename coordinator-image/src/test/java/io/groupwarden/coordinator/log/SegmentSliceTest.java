package io.groupwarden.coordinator.log;

import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.PID;
import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.plain;
import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.txn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads that leave the bytes in the segment file: the slice holds exactly the bytes a read into
 * memory returns (whole batches, cut at the high watermark, the last stable offset and the byte
 * limit), and it keeps its file open while held, whatever the bound on open files, retention or a
 * deleted file would otherwise do.
 */
class SegmentSliceTest {
  static final TopicPartition TP = new TopicPartition("t", 0);

  @TempDir Path dir;

  /** 4 KiB segments, so the batches below span several. */
  static final TopicConfig SMALL = new TopicConfig(-1, -1, 4096, Long.MAX_VALUE, 1 << 20);

  static byte[] bytesOf(BaseRecords records) throws IOException {
    if (records instanceof MemoryRecords memory) {
      ByteBuffer buffer = memory.buffer().duplicate();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }
    SegmentSlice slice = (SegmentSlice) records;
    ByteBuffer buffer = ByteBuffer.allocate(slice.sizeInBytes());
    while (buffer.hasRemaining()) {
      int read = slice.channel().read(buffer, slice.position() + buffer.position());
      assertThat(read).isPositive();
    }
    return buffer.array();
  }

  static void assertSameRead(
      PartitionLog log, long offset, int maxBytes, boolean minOne, boolean rc) throws IOException {
    PartitionLog.ReadResult heap = log.read(offset, maxBytes, minOne, rc);
    SliceRead slice = log.readSlice(offset, maxBytes, minOne, rc);
    try {
      String what = "offset " + offset + ", maxBytes " + maxBytes + ", minOne " + minOne;
      assertThat(slice.error()).as(what).isEqualTo(heap.error());
      assertThat(slice.highWatermark()).as(what).isEqualTo(heap.highWatermark());
      assertThat(slice.lastStableOffset()).as(what).isEqualTo(heap.lastStableOffset());
      assertThat(slice.logStartOffset()).as(what).isEqualTo(heap.logStartOffset());
      assertThat(slice.abortedTransactions()).as(what).isEqualTo(heap.abortedTransactions());
      assertThat(slice.records().sizeInBytes()).as(what).isEqualTo(heap.records().sizeInBytes());
      assertThat(bytesOf(slice.records())).as(what).isEqualTo(bytesOf(heap.records()));
      if (heap.records().sizeInBytes() > 0) {
        assertThat(slice.records()).as(what).isInstanceOf(SegmentSlice.class);
      }
    } finally {
      slice.release();
    }
  }

  @Test
  void aSliceHoldsExactlyTheBatchesAReadIntoMemoryReturns() throws Exception {
    SegmentFiles files = new SegmentFiles(2);
    PartitionLog log = PartitionLog.open(TP, dir, () -> SMALL, () -> 5000L, files);
    for (int i = 0; i < 120; i++) {
      // Batches of 1 to 5 records of varied sizes: byte limits fall inside batches.
      String[] values = new String[1 + i % 5];
      for (int v = 0; v < values.length; v++) {
        values[v] = "v" + i + "-" + v + "x".repeat((i * 37 + v * 11) % 300);
      }
      assertThat(log.append(plain(values)).error()).isEqualTo(Errors.NONE);
      if (i % 7 == 0) {
        log.sync();
      }
    }
    // Appended but not yet durable: no read may return these.
    log.sync();
    log.append(plain("not-yet-durable"));
    long end = log.highWatermark();
    for (long offset = 0; offset <= end; offset += 3) {
      for (int maxBytes : new int[] {0, 1, 100, 700, 1500, 4096, 10_000, 1 << 20}) {
        assertSameRead(log, offset, maxBytes, true, false);
        assertSameRead(log, offset, maxBytes, false, false);
      }
    }
    assertSameRead(log, end + 5, 1000, true, false);
    assertThat(files.inUse()).as("every slice released its file").isZero();
    log.close();
  }

  @Test
  void readCommittedSlicesStopAtTheLastStableOffsetAndListTheAbortedTransactions()
      throws Exception {
    SegmentFiles files = new SegmentFiles(2);
    PartitionLog log = PartitionLog.open(TP, dir, () -> SMALL, () -> 5000L, files);
    log.append(plain("a", "b"));
    log.append(txn((short) 0, 0, "aborted-1", "aborted-2"), true);
    log.append(plain("c"));
    log.appendMarker(PID, (short) 0, 0, false);
    log.append(plain("d"));
    log.append(txn((short) 0, 2, "open-1"), true);
    log.append(plain("after-open-1", "after-open-2"));
    log.sync();
    assertThat(log.lastStableOffset()).as("the open transaction starts at 7").isEqualTo(7);
    assertThat(log.highWatermark()).isGreaterThan(log.lastStableOffset());
    for (long offset = 0; offset <= log.highWatermark(); offset++) {
      for (int maxBytes : new int[] {1, 80, 200, 1 << 20}) {
        assertSameRead(log, offset, maxBytes, true, true);
        assertSameRead(log, offset, maxBytes, true, false);
      }
    }
    SliceRead committed = log.readSlice(0, 1 << 20, true, true);
    assertThat(committed.abortedTransactions())
        .extracting(AbortedTxn::producerId, AbortedTxn::firstOffset)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(PID, 2L));
    committed.release();
    assertThat(files.inUse()).isZero();
    log.close();
  }

  @Test
  void aHeldSliceKeepsItsFileOpenPastTheBoundAndRetentionUntilReleased() throws Exception {
    SegmentFiles files = new SegmentFiles(1);
    TopicConfig retained = new TopicConfig(-1, 4096, 4096, Long.MAX_VALUE, 1 << 20);
    PartitionLog log = PartitionLog.open(TP, dir, () -> retained, () -> 5000L, files);
    for (int i = 0; i < 60; i++) {
      log.append(plain("v" + i + "x".repeat(400)));
    }
    log.sync();
    PartitionLog.ReadResult expected = log.read(0, 2000, true);
    SliceRead held = log.readSlice(0, 2000, true, false);
    SegmentSlice slice = (SegmentSlice) held.records();
    assertThat(files.inUse()).isEqualTo(1);

    // Reading every other segment would close the first one's file (one idle file at most) ...
    for (long offset = 0; offset < log.highWatermark(); offset += 5) {
      log.read(offset, 100, true);
    }
    // ... and retention deletes it.
    log.applyRetention();
    assertThat(log.logStartOffset()).isPositive();
    assertThat(Files.exists(LogSegment.logFile(dir, 0))).isFalse();

    assertThat(slice.channel().isOpen()).isTrue();
    assertThat(bytesOf(slice)).isEqualTo(bytesOf(expected.records()));

    slice.retain(); // a queued file region's reference
    held.release();
    assertThat(slice.channel().isOpen()).as("the region still holds it").isTrue();
    slice.release();
    assertThat(slice.references()).isZero();
    assertThat(slice.channel().isOpen()).as("closed once the last holder let go").isFalse();
    assertThat(files.inUse()).isZero();
    log.close();
  }
}
