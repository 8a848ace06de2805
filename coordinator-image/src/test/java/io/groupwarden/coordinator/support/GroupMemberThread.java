package io.groupwarden.coordinator.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A consumer group member on its own thread, as an application runs one: it polls, commits each
 * batch synchronously and counts a record as consumed only once its commit succeeded (a failed
 * commit rewinds, so the records are read again by whoever owns them next).
 */
public final class GroupMemberThread implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final Thread thread;
  private final ConcurrentLinkedQueue<String> consumed = new ConcurrentLinkedQueue<>();
  private final List<Set<TopicPartition>> revocations = new CopyOnWriteArrayList<>();
  private final List<Set<TopicPartition>> assignments = new CopyOnWriteArrayList<>();
  private final AtomicReference<Set<TopicPartition>> owned = new AtomicReference<>(Set.of());
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile int generation = -1;

  private final OwnershipLog ownership;
  private final String name;

  public GroupMemberThread(KafkaConsumer<String, String> consumer, String topic, String name) {
    this(consumer, topic, name, new OwnershipLog());
  }

  /**
   * A member that also reports what its callbacks say it owns to a log shared by the group; {@code
   * topic} may name several topics, separated by commas.
   */
  public GroupMemberThread(
      KafkaConsumer<String, String> consumer, String topic, String name, OwnershipLog ownership) {
    this.consumer = consumer;
    this.ownership = ownership;
    this.name = name;
    this.thread = new Thread(() -> run(topic), name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(String topic) {
    consumer.subscribe(
        List.of(topic.split(",")),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
              revocations.add(Set.copyOf(partitions));
            }
            update(partitions, false);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            generation = consumer.groupMetadata().generationId();
            assignments.add(Set.copyOf(partitions));
            update(partitions, true);
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            update(partitions, false);
          }
        });
    try {
      while (running) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
        generation = consumer.groupMetadata().generationId();
        if (records.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        List<String> batch = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          first.putIfAbsent(tp, record.offset());
          commit.put(tp, new OffsetAndMetadata(record.offset() + 1));
          batch.add(record.partition() + ":" + record.offset());
        }
        try {
          consumer.commitSync(commit);
          consumed.addAll(batch);
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          for (Map.Entry<TopicPartition, Long> entry : first.entrySet()) {
            if (consumer.assignment().contains(entry.getKey())) {
              consumer.seek(entry.getKey(), entry.getValue());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // stopping
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  private void update(Collection<TopicPartition> partitions, boolean add) {
    if (add) {
      ownership.assigned(name, partitions, System.currentTimeMillis());
    } else {
      ownership.released(name, partitions, System.currentTimeMillis());
    }
    Set<TopicPartition> next = new HashSet<>(owned.get());
    if (add) {
      next.addAll(partitions);
    } else {
      next.removeAll(partitions);
    }
    owned.set(Set.copyOf(next));
  }

  /** "partition:offset" of every record whose commit succeeded. */
  public Collection<String> consumed() {
    return consumed;
  }

  public List<Set<TopicPartition>> revocations() {
    return revocations;
  }

  public List<Set<TopicPartition>> assignments() {
    return assignments;
  }

  public Set<TopicPartition> owned() {
    return owned.get();
  }

  public Throwable failure() {
    return failure.get();
  }

  /** The generation the member last saw (read on its own thread). */
  public int generation() {
    return generation;
  }

  /** Stops polling and closes the consumer, which leaves the group (unless it is static). */
  @Override
  public void close() {
    running = false;
    try {
      // The loop sees the flag within one poll. A wakeup could interrupt a commit that the broker
      // took but the thread never learnt of: records committed yet never counted.
      thread.join(30_000);
      if (thread.isAlive()) {
        consumer.wakeup();
        thread.join(30_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(10));
    ownership.releasedAll(name, System.currentTimeMillis());
  }
}
