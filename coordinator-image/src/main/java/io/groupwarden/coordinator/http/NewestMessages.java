package io.groupwarden.coordinator.http;

import io.groupwarden.coordinator.log.AbortedTxn;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Chooses what {@code GET /messages/{topic}} returns: the newest records by timestamp, at most
 * {@code limit} of them and at most {@code maxBytes} of keys and values (but always the newest one,
 * so a large record is never hidden). Only positions are kept — at most {@code limit + 1} of them —
 * so choosing costs no more memory than that, whatever the records weigh; their contents are read
 * again when the answer is written.
 */
final class NewestMessages {
  /** Where one chosen record is. */
  record Pick(int partition, long offset, long timestamp, long bytes) {}

  /** Oldest first; ties by partition and offset, so the order is the same on every call. */
  static final Comparator<Pick> OLDEST_FIRST =
      Comparator.comparingLong(Pick::timestamp)
          .thenComparingInt(Pick::partition)
          .thenComparingLong(Pick::offset);

  /** How much of a log one read brings in while choosing. */
  private static final int SCAN_BYTES = 1 << 20;

  private NewestMessages() {}

  /**
   * The chosen records, oldest first: committed ones only, as a read_committed consumer sees them
   * (no transaction markers, nothing of an open or aborted transaction).
   */
  static List<Pick> select(Topic topic, int limit, long maxBytes) {
    PriorityQueue<Pick> newest = new PriorityQueue<>(OLDEST_FIRST);
    long[] total = {0};
    for (PartitionLog log : topic.partitions()) {
      int partition = log.partition().partition();
      long end = log.lastStableOffset();
      long from = Math.max(log.logStartOffset(), end - limit);
      long next = from;
      while (next < end) {
        PartitionLog.ReadResult read = log.read(next, SCAN_BYTES, true, true);
        if (read.error() != Errors.NONE || read.records().sizeInBytes() == 0) {
          break;
        }
        for (RecordBatch batch : read.records().batches()) {
          next = batch.nextOffset();
          if (batch.isControlBatch() || isAborted(batch, read.abortedTransactions())) {
            continue;
          }
          for (Record record : batch) {
            if (record.offset() >= from && record.offset() < end) {
              offer(
                  newest,
                  total,
                  new Pick(partition, record.offset(), record.timestamp(), Message.size(record)),
                  limit,
                  maxBytes);
            }
          }
        }
      }
    }
    List<Pick> chosen = new ArrayList<>(newest);
    chosen.sort(OLDEST_FIRST);
    // The queue may hold one record more than the budget allows: drop the oldest until it fits.
    int first = 0;
    while (total[0] > maxBytes && chosen.size() - first > 1) {
      total[0] -= chosen.get(first++).bytes();
    }
    return List.copyOf(chosen.subList(first, chosen.size()));
  }

  private static boolean isAborted(RecordBatch batch, List<AbortedTxn> aborted) {
    if (!batch.isTransactional()) {
      return false;
    }
    for (AbortedTxn txn : aborted) {
      if (txn.producerId() == batch.producerId()
          && txn.firstOffset() <= batch.baseOffset()
          && batch.baseOffset() <= txn.lastOffset()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds a record and drops the oldest ones no longer needed: beyond the count, or when the newer
   * ones alone already fill the byte budget. A dropped record can never come back, because a record
   * is dropped only for newer ones, which stay.
   */
  private static void offer(
      PriorityQueue<Pick> newest, long[] total, Pick pick, int limit, long maxBytes) {
    newest.add(pick);
    total[0] += pick.bytes();
    while (newest.size() > limit
        || (newest.size() > 1 && total[0] - newest.peek().bytes() >= maxBytes)) {
      total[0] -= newest.poll().bytes();
    }
  }
}
