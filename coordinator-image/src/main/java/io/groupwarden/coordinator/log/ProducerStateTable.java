package io.groupwarden.coordinator.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What the producers wrote to one partition: per producer id its epoch, the sequence numbers of its
 * last five batches (so that a retried batch is recognised and acknowledged with its first offset
 * instead of being written twice, and a gap is refused), and the first offset of its open
 * transaction, if any. The earliest open transaction bounds the last stable offset. A producer
 * without an open transaction that has not written for a while is forgotten ({@link
 * #removeExpired}), so producers that come and go do not pile up. Confined to the partition's
 * append lock.
 */
final class ProducerStateTable {
  static final int REMEMBERED_BATCHES = 5;

  /** What to do with a batch: append it, acknowledge it as an earlier one, or refuse it. */
  record Verdict(Errors error, long duplicateOf) {
    static final Verdict APPEND = new Verdict(Errors.NONE, -1);

    boolean isDuplicate() {
      return duplicateOf >= 0;
    }
  }

  record WrittenBatch(int firstSequence, int lastSequence, long baseOffset) {}

  /** A transaction that a marker ended in this partition. */
  record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {}

  /** One producer's state, as DescribeProducers shows it and the snapshot stores it. */
  static final class Producer {
    final long producerId;
    short epoch;
    int coordinatorEpoch = -1;
    long lastTimestamp = RecordBatch.NO_TIMESTAMP;
    long txnFirstOffset = -1;
    final ArrayDeque<WrittenBatch> recent = new ArrayDeque<>();
    // the broker's clock at the producer's last batch or marker here (not kept in snapshots: a
    // restored producer counts from the time the log was loaded)
    long lastWriteMs;

    Producer(long producerId) {
      this.producerId = producerId;
    }

    int lastSequence() {
      return recent.isEmpty() ? -1 : recent.peekLast().lastSequence();
    }

    long lastOffset() {
      return recent.isEmpty() ? -1 : recent.peekLast().baseOffset();
    }
  }

  private final Map<Long, Producer> producers = new HashMap<>();
  // first offset of each open transaction -> its producer: the smallest bounds the stable offset
  private final TreeMap<Long, Long> openTransactions = new TreeMap<>();

  Verdict check(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return Verdict.APPEND;
    }
    Producer producer = producers.get(batch.producerId());
    if (producer == null) {
      // Unknown here (new producer, or its history is older than what was kept): accept.
      return Verdict.APPEND;
    }
    if (batch.producerEpoch() < producer.epoch) {
      return new Verdict(Errors.INVALID_PRODUCER_EPOCH, -1);
    }
    if (batch.producerEpoch() > producer.epoch) {
      return batch.baseSequence() == 0
          ? Verdict.APPEND
          : new Verdict(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
    }
    for (WrittenBatch written : producer.recent) {
      if (written.firstSequence() == batch.baseSequence()
          && written.lastSequence() == batch.lastSequence()) {
        return new Verdict(Errors.NONE, written.baseOffset());
      }
    }
    int last = producer.lastSequence();
    int expected = last == Integer.MAX_VALUE ? 0 : last + 1;
    if (last >= 0 && batch.baseSequence() != expected) {
      return new Verdict(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
    }
    return Verdict.APPEND;
  }

  /** True when this producer, at this epoch, has a transaction open in the partition. */
  boolean inTransaction(long producerId, short epoch) {
    Producer producer = producers.get(producerId);
    return producer != null && producer.txnFirstOffset >= 0 && producer.epoch == epoch;
  }

  /** Remembers a data batch that was written (its offsets assigned) at {@code nowMs}. */
  void record(RecordBatch batch, long nowMs) {
    if (!batch.hasProducerId()) {
      return;
    }
    if (batch.isControlBatch()) {
      throw new IllegalArgumentException("markers are recorded with complete()");
    }
    Producer producer = producer(batch.producerId(), batch.producerEpoch());
    producer.recent.addLast(
        new WrittenBatch(batch.baseSequence(), batch.lastSequence(), batch.baseOffset()));
    if (producer.recent.size() > REMEMBERED_BATCHES) {
      producer.recent.removeFirst();
    }
    producer.lastTimestamp = Math.max(producer.lastTimestamp, batch.maxTimestamp());
    producer.lastWriteMs = Math.max(producer.lastWriteMs, nowMs);
    if (batch.isTransactional() && producer.txnFirstOffset < 0) {
      producer.txnFirstOffset = batch.baseOffset();
      openTransactions.put(batch.baseOffset(), batch.producerId());
    }
  }

  /**
   * Ends the producer's open transaction with a marker at {@code markerOffset}, whose timestamp is
   * {@code timestamp}, written at {@code nowMs}; null when it had none here (a marker for a
   * partition the transaction wrote nothing to is not needed).
   */
  CompletedTxn complete(
      long producerId,
      short epoch,
      int coordinatorEpoch,
      boolean commit,
      long markerOffset,
      long timestamp,
      long nowMs) {
    Producer producer = producers.get(producerId);
    if (producer == null || producer.txnFirstOffset < 0) {
      return null;
    }
    CompletedTxn completed =
        new CompletedTxn(producerId, producer.txnFirstOffset, markerOffset, !commit);
    openTransactions.remove(producer.txnFirstOffset);
    producer.txnFirstOffset = -1;
    producer.coordinatorEpoch = coordinatorEpoch;
    producer.lastTimestamp = Math.max(producer.lastTimestamp, timestamp);
    producer.lastWriteMs = Math.max(producer.lastWriteMs, nowMs);
    if (epoch > producer.epoch) {
      // Transactions of protocol version 2 end with the next epoch: sequences restart at 0.
      producer.epoch = epoch;
      producer.recent.clear();
    }
    return completed;
  }

  /** True when a marker from this producer at this epoch would end an open transaction. */
  boolean hasOpenTransaction(long producerId) {
    Producer producer = producers.get(producerId);
    return producer != null && producer.txnFirstOffset >= 0;
  }

  short epochOf(long producerId) {
    Producer producer = producers.get(producerId);
    return producer == null ? RecordBatch.NO_PRODUCER_EPOCH : producer.epoch;
  }

  /** The first offset of the earliest open transaction, or {@link Long#MAX_VALUE}. */
  long firstUnstableOffset() {
    return openTransactions.isEmpty() ? Long.MAX_VALUE : openTransactions.firstKey();
  }

  int openTransactionCount() {
    return openTransactions.size();
  }

  /**
   * Forgets the producers without an open transaction that wrote nothing for {@code expirationMs}
   * up to {@code nowMs} (Kafka's {@code producer.id.expiration.ms}, here measured by the broker's
   * clock rather than the batches' timestamps, so a client's clock cannot keep an entry alive). A
   * forgotten producer may write again: its next batch is taken as a new producer's.
   *
   * @return how many were forgotten
   */
  int removeExpired(long nowMs, long expirationMs) {
    int before = producers.size();
    producers.values().removeIf(producer -> isExpired(producer, nowMs, expirationMs));
    return before - producers.size();
  }

  private static boolean isExpired(Producer producer, long nowMs, long expirationMs) {
    return producer.txnFirstOffset < 0 && nowMs - producer.lastWriteMs >= expirationMs;
  }

  private Producer producer(long producerId, short epoch) {
    Producer producer = producers.computeIfAbsent(producerId, Producer::new);
    if (epoch != producer.epoch) {
      producer.epoch = epoch;
      producer.recent.clear();
    }
    return producer;
  }

  /** Every producer, as DescribeProducers shows it. */
  List<ProducerDescription> describe() {
    List<ProducerDescription> described = new ArrayList<>(producers.size());
    for (Producer producer : producers.values()) {
      described.add(
          new ProducerDescription(
              producer.producerId,
              producer.epoch,
              producer.lastSequence(),
              producer.lastTimestamp,
              producer.coordinatorEpoch,
              producer.txnFirstOffset));
    }
    return described;
  }

  /** A copy of every producer's state. */
  List<Producer> producers() {
    return new ArrayList<>(producers.values());
  }

  /** Replaces the state with one read from a snapshot at {@code nowMs}. */
  void restore(List<Producer> restored, long nowMs) {
    producers.clear();
    openTransactions.clear();
    for (Producer producer : restored) {
      producer.lastWriteMs = nowMs;
      producers.put(producer.producerId, producer);
      if (producer.txnFirstOffset >= 0) {
        openTransactions.put(producer.txnFirstOffset, producer.producerId);
      }
    }
  }
}
