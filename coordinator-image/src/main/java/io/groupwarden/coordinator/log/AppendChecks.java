package io.groupwarden.coordinator.log;

import io.groupwarden.coordinator.log.PartitionLog.AppendResult;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * What a partition checks before it writes: that each batch is well formed for the topic, and that
 * the producer may write it (sequence, epoch, transaction), from the partition's producer state.
 * Called under the partition's lock; changes nothing.
 */
record AppendChecks(TopicPartition partition, ProducerStateTable producers) {
  /**
   * Null when the batches may be written; otherwise the answer without writing: a refusal, or the
   * offset a retried batch of an idempotent producer got the first time.
   */
  AppendResult admit(List<MutableRecordBatch> batches, boolean transactionVerified) {
    if (batches.size() == 1) {
      MutableRecordBatch batch = batches.get(0);
      ProducerStateTable.Verdict verdict = producers.check(batch);
      if (verdict.error() != Errors.NONE) {
        return AppendResult.failed(verdict.error(), null);
      }
      if (verdict.isDuplicate()) {
        return new AppendResult(Errors.NONE, verdict.duplicateOf(), null);
      }
      return checkTransaction(batch, transactionVerified);
    }
    for (MutableRecordBatch batch : batches) {
      if (batch.hasProducerId()) {
        return AppendResult.failed(
            Errors.INVALID_RECORD, "an idempotent produce carries one batch per partition");
      }
    }
    return null;
  }

  /**
   * Null when a marker may end the producer's transaction; otherwise the answer: offset -1 when
   * nothing is open (as after a marker already written), or a refusal of an old epoch.
   */
  AppendResult admitMarker(long producerId, short epoch) {
    if (!producers.hasOpenTransaction(producerId)) {
      return new AppendResult(Errors.NONE, -1, null);
    }
    if (epoch < producers.epochOf(producerId)) {
      return AppendResult.failed(
          Errors.INVALID_PRODUCER_EPOCH,
          "marker epoch "
              + epoch
              + " is older than producer epoch "
              + producers.epochOf(producerId));
    }
    return null;
  }

  static AppendResult validate(MutableRecordBatch batch, TopicConfig topicConfig) {
    if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
      return AppendResult.failed(
          Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, "only record batch format v2 is supported");
    }
    if (batch.sizeInBytes() > topicConfig.maxMessageBytes()) {
      return AppendResult.failed(
          Errors.MESSAGE_TOO_LARGE,
          "batch of "
              + batch.sizeInBytes()
              + " bytes is over max.message.bytes="
              + topicConfig.maxMessageBytes());
    }
    if (!batch.isValid()) {
      return AppendResult.failed(Errors.CORRUPT_MESSAGE, "record batch fails its CRC check");
    }
    if (batch.isControlBatch()) {
      return AppendResult.failed(
          Errors.INVALID_RECORD, "control batches are written by the transaction coordinator only");
    }
    if (batch.isTransactional() && !batch.hasProducerId()) {
      return AppendResult.failed(
          Errors.INVALID_RECORD, "a transactional batch needs a producer id");
    }
    Integer count = batch.countOrNull();
    if (count == null || count <= 0 || count != batch.lastOffset() - batch.baseOffset() + 1) {
      return AppendResult.failed(
          Errors.INVALID_RECORD, "record count does not match the batch's offset range");
    }
    if (topicConfig.compact()) {
      // Compaction keeps the newest record of each key: a record without one has no place.
      try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
        while (records.hasNext()) {
          if (!records.next().hasKey()) {
            return AppendResult.failed(
                Errors.INVALID_RECORD, "a compacted topic cannot take a record without a key");
          }
        }
      }
    }
    return null;
  }

  /** Refuses a batch that would write outside the producer's transaction; null when it may. */
  private AppendResult checkTransaction(RecordBatch batch, boolean transactionVerified) {
    if (!batch.hasProducerId()) {
      return null;
    }
    if (batch.isTransactional()) {
      if (producers.inTransaction(batch.producerId(), batch.producerEpoch())
          || transactionVerified) {
        return null;
      }
      return AppendResult.failed(
          Errors.INVALID_TXN_STATE,
          "the producer's transaction does not include " + partition + " (not added, or ended)");
    }
    if (producers.hasOpenTransaction(batch.producerId())) {
      return AppendResult.failed(
          Errors.INVALID_TXN_STATE,
          "a non-transactional batch from a producer with a transaction open in " + partition);
    }
    return null;
  }
}
