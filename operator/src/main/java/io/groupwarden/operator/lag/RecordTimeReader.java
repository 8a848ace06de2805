package io.groupwarden.operator.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the timestamps of the records at given offsets with one batched fetch: the consumer is
 * assigned every partition asked for, seeks each to its offset, and polls until each has returned
 * its first record or the time is up. The record found is the first one at or after the offset
 * (records deleted by compaction or control records are skipped, an offset retention has passed
 * reads from the log start), which is the oldest record there that the group has not consumed.
 *
 * <p>Two groups at different offsets of the same partition are read in two rounds, one offset per
 * partition each. A partition that returns nothing in time, or a record without a timestamp, is
 * left out; reading never fails the caller.
 */
public record RecordTimeReader(Duration timeout) {
  private static final Logger LOG = LoggerFactory.getLogger(RecordTimeReader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** A reader that gives up on what has not arrived within {@code timeout} (wall-clock time). */

  /** A record asked for: a partition and an offset in it. */
  public record RecordAt(TopicPartition partition, long offset) {}

  /**
   * The timestamps (epoch milliseconds) of the records asked for that could be read.
   *
   * @param consumer a consumer without subscriptions, which this method assigns and seeks
   * @param wanted the records to read
   */
  public Map<RecordAt, Long> timestamps(Consumer<byte[], byte[]> consumer, Set<RecordAt> wanted) {
    Map<TopicPartition, List<Long>> offsets = new HashMap<>();
    for (RecordAt record : wanted) {
      offsets.computeIfAbsent(record.partition(), tp -> new ArrayList<>()).add(record.offset());
    }
    Map<RecordAt, Long> found = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (int round = 0; !offsets.isEmpty(); round++) {
        Map<TopicPartition, Long> thisRound = new HashMap<>();
        for (Map.Entry<TopicPartition, List<Long>> entry : new ArrayList<>(offsets.entrySet())) {
          thisRound.put(entry.getKey(), entry.getValue().remove(0));
          if (entry.getValue().isEmpty()) {
            offsets.remove(entry.getKey());
          }
        }
        read(consumer, thisRound, deadline, found);
      }
    } catch (KafkaException e) {
      LOG.debug("Reading record timestamps stopped: {}", e.toString());
    } finally {
      consumer.assign(List.of());
    }
    return found;
  }

  private void read(
      Consumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> offsets,
      long deadline,
      Map<RecordAt, Long> found) {
    consumer.assign(offsets.keySet());
    consumer.resume(consumer.paused());
    offsets.forEach(consumer::seek);
    Set<TopicPartition> pending = new HashSet<>(offsets.keySet());
    while (!pending.isEmpty() && System.nanoTime() - deadline < 0) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
      for (TopicPartition partition : records.partitions()) {
        if (!pending.remove(partition)) {
          continue;
        }
        ConsumerRecord<byte[], byte[]> first = records.records(partition).get(0);
        if (first.timestamp() >= 0) { // records of the oldest message format have none
          found.put(new RecordAt(partition, offsets.get(partition)), first.timestamp());
        }
        consumer.pause(List.of(partition));
      }
    }
    if (!pending.isEmpty()) {
      LOG.debug("No record read in time from {}", pending);
    }
  }
}
