package io.groupwarden.coordinator.txn;

import io.groupwarden.coordinator.runtime.TopicPartitions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue.PartitionsSchema;

/**
 * {@link Transaction}s as the records of Kafka's {@code __transaction_state}: the key is the record
 * type and Kafka's generated {@code TransactionLogKey}, the value its version and {@code
 * TransactionLogValue}; a transactional id that expired is a tombstone (no value).
 */
final class TransactionRecords {
  private static final short VALUE_VERSION = 1;

  private TransactionRecords() {}

  static byte[] key(String transactionalId) {
    return MessageUtil.toCoordinatorTypePrefixedBytes(
        new TransactionLogKey().setTransactionalId(transactionalId));
  }

  /** The value's bytes; null (a tombstone) for a transactional id that is gone. */
  static byte[] value(Transaction txn) {
    if (txn.state() == TransactionState.DEAD) {
      return null;
    }
    List<PartitionsSchema> partitions = new ArrayList<>();
    TopicPartitions.byTopic(txn.partitions())
        .forEach(
            (topic, ids) ->
                partitions.add(new PartitionsSchema().setTopic(topic).setPartitionIds(ids)));
    TransactionLogValue value =
        new TransactionLogValue()
            .setProducerId(txn.producerId())
            .setPreviousProducerId(txn.previousProducerId())
            .setNextProducerId(txn.nextProducerId())
            .setProducerEpoch(txn.producerEpoch())
            .setTransactionTimeoutMs(txn.timeoutMs())
            .setTransactionStatus(txn.state().id())
            .setTransactionPartitions(partitions)
            .setTransactionLastUpdateTimestampMs(txn.lastUpdateTimestampMs())
            .setTransactionStartTimestampMs(txn.startTimestampMs())
            .setClientTransactionVersion(txn.clientTransactionVersion());
    return MessageUtil.toVersionPrefixedBytes(VALUE_VERSION, value);
  }

  /** The transactional id a key names. */
  static String readKey(ByteBuffer key) {
    ByteBufferAccessor reader = new ByteBufferAccessor(key);
    short type = reader.readShort();
    if (type != new TransactionLogKey().apiKey()) {
      throw new IllegalArgumentException("not a transaction log key (type " + type + ")");
    }
    return new TransactionLogKey(reader, (short) 0).transactionalId();
  }

  /** The transaction a value describes; null for a tombstone. */
  static Transaction readValue(String transactionalId, ByteBuffer value) {
    if (value == null) {
      return null;
    }
    ByteBufferAccessor reader = new ByteBufferAccessor(value);
    short version = reader.readShort();
    if (version < TransactionLogValue.LOWEST_SUPPORTED_VERSION
        || version > TransactionLogValue.HIGHEST_SUPPORTED_VERSION) {
      throw new IllegalArgumentException("transaction log value version " + version);
    }
    TransactionLogValue read = new TransactionLogValue(reader, version);
    Set<TopicPartition> partitions = new HashSet<>();
    if (read.transactionPartitions() != null) {
      for (PartitionsSchema topic : read.transactionPartitions()) {
        for (int partition : topic.partitionIds()) {
          partitions.add(new TopicPartition(topic.topic(), partition));
        }
      }
    }
    return new Transaction(
        transactionalId,
        read.producerId(),
        read.previousProducerId(),
        read.nextProducerId(),
        read.producerEpoch(),
        Transaction.NO_EPOCH,
        read.transactionTimeoutMs(),
        TransactionState.fromId(read.transactionStatus()),
        partitions,
        read.transactionStartTimestampMs(),
        read.transactionLastUpdateTimestampMs(),
        read.clientTransactionVersion());
  }
}
