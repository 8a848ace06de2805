package io.groupwarden.coordinator.txn;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes the markers that end a transaction into each of its partitions: a control batch in a topic
 * partition, or the commit or abort of a group's pending offsets (a {@code __consumer_offsets}
 * partition names the group shard). Completes once every marker is durable. Writing a marker twice
 * (after a restart) is harmless: a partition without the producer's transaction open ignores it.
 */
public interface TransactionMarkers {
  CompletableFuture<Void> write(
      long producerId, short producerEpoch, boolean commit, Set<TopicPartition> partitions);

  /**
   * Makes every record written so far to the transaction's topic partitions durable: a commit is
   * decided only over records that survive a crash of the machine.
   */
  default CompletableFuture<Void> flush(Set<TopicPartition> partitions) {
    return CompletableFuture.completedFuture(null);
  }
}
