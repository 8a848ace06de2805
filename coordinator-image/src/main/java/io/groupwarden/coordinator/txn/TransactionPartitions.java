package io.groupwarden.coordinator.txn;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;

/**
 * How a transaction names what it touches: topic partitions, and for offsets committed in it the
 * group's shard as a partition of Kafka's {@code __consumer_offsets} (which is what Kafka's tools
 * show for a transaction's offsets).
 */
public final class TransactionPartitions {
  public static final String GROUP_OFFSETS_TOPIC = Topic.GROUP_METADATA_TOPIC_NAME;

  private TransactionPartitions() {}

  /** The partition that stands for the offsets of the groups in {@code shard}. */
  public static TopicPartition groupShard(int shard) {
    return new TopicPartition(GROUP_OFFSETS_TOPIC, shard);
  }
}
