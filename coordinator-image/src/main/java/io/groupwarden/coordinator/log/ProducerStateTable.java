package io.groupwarden.coordinator.log;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The sequence numbers idempotent producers wrote to one partition, so that a retried batch is
 * recognised and acknowledged with its first offsets instead of being written twice, and a gap is
 * refused. Like Kafka it remembers the last five batches of each producer: the most a producer
 * keeps in flight.
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

  private record WrittenBatch(int firstSequence, int lastSequence, long baseOffset) {}

  private static final class Producer {
    short epoch;
    final ArrayDeque<WrittenBatch> recent = new ArrayDeque<>();

    int lastSequence() {
      return recent.isEmpty() ? -1 : recent.peekLast().lastSequence();
    }
  }

  private final Map<Long, Producer> producers = new HashMap<>();

  Verdict check(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return Verdict.APPEND;
    }
    Producer producer = producers.get(batch.producerId());
    if (producer == null) {
      // Unknown here (new producer, or its history is older than what was scanned): accept.
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

  /** Remembers a batch that was written (its offsets assigned). */
  void record(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return;
    }
    Producer producer = producers.computeIfAbsent(batch.producerId(), id -> new Producer());
    if (batch.producerEpoch() != producer.epoch) {
      producer.epoch = batch.producerEpoch();
      producer.recent.clear();
    }
    producer.recent.addLast(
        new WrittenBatch(batch.baseSequence(), batch.lastSequence(), batch.baseOffset()));
    if (producer.recent.size() > REMEMBERED_BATCHES) {
      producer.recent.removeFirst();
    }
  }
}
