package io.groupwarden.coordinator.txn;

import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes markers into this broker's own partitions and group shards: a control batch in each topic
 * partition of the transaction (then an fsync of it), and the commit or abort of the pending
 * offsets in each group shard named by a {@code __consumer_offsets} partition. A deleted topic has
 * nothing left to mark.
 */
public record BrokerTransactionMarkers(
    TopicStore topics, FsyncBatcher fsync, GroupCoordinator groups) implements TransactionMarkers {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerTransactionMarkers.class);

  /** The coordinator epoch markers carry: one coordinator, never moved. */
  private static final int COORDINATOR_EPOCH = 0;

  @Override
  public CompletableFuture<Void> flush(Set<TopicPartition> partitions) {
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Topic topic = topics.get(tp.topic());
      PartitionLog log = topic == null ? null : topic.partition(tp.partition());
      if (log != null) {
        durable.add(fsync.sync(log));
      }
    }
    return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletableFuture<Void> write(
      long producerId, short producerEpoch, boolean commit, Set<TopicPartition> partitions) {
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (tp.topic().equals(TransactionPartitions.GROUP_OFFSETS_TOPIC)) {
        durable.add(groups.completeTransaction(tp.partition(), producerId, producerEpoch, commit));
        continue;
      }
      Topic topic = topics.get(tp.topic());
      PartitionLog log = topic == null ? null : topic.partition(tp.partition());
      if (log == null) {
        continue;
      }
      PartitionLog.AppendResult written =
          log.appendMarker(producerId, producerEpoch, COORDINATOR_EPOCH, commit);
      if (written.error() == Errors.KAFKA_STORAGE_ERROR) {
        return CompletableFuture.failedFuture(
            new IOException("marker for " + tp + " not written: " + written.message()));
      }
      if (written.error() != Errors.NONE) {
        // an older epoch than the partition has seen: a newer transaction already ended there
        LOG.warn("marker for {} of producer {} skipped: {}", tp, producerId, written.message());
        continue;
      }
      if (written.baseOffset() >= 0) {
        durable.add(fsync.sync(log));
      }
    }
    return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new));
  }
}
