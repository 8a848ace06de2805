package io.groupwarden.operator.snapshot;

import io.groupwarden.operator.lag.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot topic on one governed cluster: created compacted when missing (a broker that cannot
 * compact gets a topic deleted by time instead, long enough to always hold the newest snapshot of
 * every group), written by a producer, and read from a given position to its end by a consumer
 * without a group. The consumer serves one reader at a time.
 */
final class SnapshotTopic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotTopic.class);

  /** The largest snapshot of one group; Kafka's default of 1 MB is too small for big groups. */
  static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

  private final String name;
  private final KafkaConnection connection;
  private final Duration timeout;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private boolean created;

  SnapshotTopic(String name, KafkaConnection connection, Duration timeout) {
    this.name = name;
    this.connection = connection;
    this.timeout = timeout;
  }

  String name() {
    return name;
  }

  KafkaConnection connection() {
    return connection;
  }

  /**
   * Creates the topic unless it exists: compacted, with segments rolled every ten minutes so the
   * cleaner gets to them; where the broker refuses compaction, deleted after {@code retention}.
   */
  synchronized void ensure(Admin admin, Duration retention)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (created) {
      return;
    }
    int brokers =
        admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
    short replicas = (short) Math.max(1, Math.min(3, brokers));
    Map<String, String> compacted = new HashMap<>();
    compacted.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    compacted.put(TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis()));
    compacted.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES));
    try {
      create(admin, replicas, compacted);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        created = true;
        return;
      }
      if (!(e.getCause() instanceof InvalidConfigurationException)) {
        throw e;
      }
      Map<String, String> byTime = new HashMap<>();
      byTime.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
      byTime.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
      byTime.put(
          TopicConfig.SEGMENT_MS_CONFIG,
          String.valueOf(Math.max(60_000, retention.dividedBy(4).toMillis())));
      byTime.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES));
      LOG.info(
          "{} cannot compact topic {} ({}); snapshots are kept there for {} instead",
          connection,
          name,
          e.getCause().getMessage(),
          retention);
      try {
        create(admin, replicas, byTime);
      } catch (ExecutionException again) {
        if (!(again.getCause() instanceof TopicExistsException)) {
          throw again;
        }
      }
    }
    created = true;
  }

  private void create(Admin admin, short replicas, Map<String, String> configs)
      throws InterruptedException, ExecutionException, TimeoutException {
    admin
        .createTopics(List.of(new NewTopic(name, 1, replicas).configs(configs)))
        .all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("Created snapshot topic {} on {} with {}", name, connection, configs);
  }

  /** Sends a record (a null value deletes the key); failures are logged, never thrown. */
  synchronized void send(byte[] key, byte[] value) {
    producer()
        .send(
            new ProducerRecord<>(name, key, value),
            (metadata, error) -> {
              if (error != null) {
                LOG.warn(
                    "A snapshot to {} on {} was not written: {}",
                    name,
                    connection,
                    error.toString());
              }
            });
  }

  /** A read asked for: from where, whom to hand the records, and what it came to. */
  private static final class Reader {
    final Map<TopicPartition, Long> from;
    final BiConsumer<byte[], byte[]> sink;
    boolean done;
    Optional<Map<TopicPartition, Long>> reached;
    RuntimeException failure;

    Reader(Map<TopicPartition, Long> from, BiConsumer<byte[], byte[]> sink) {
      this.from = from;
      this.sink = sink;
    }

    boolean wants(TopicPartition partition, long offset) {
      Long start = from.get(partition);
      return start == null || offset >= start;
    }
  }

  private final Object queueLock = new Object();
  private List<Reader> queued = new ArrayList<>();
  private long passes;

  /**
   * Reads every partition from the given positions (missing ones from the start) up to the end
   * offsets read at the call, handing each record's key and value to {@code sink}.
   *
   * <p>The policies of a cluster share this topic's consumer, and a thousand policies starting at
   * once would read the topic a thousand times in a row: the reads asked for while one is under way
   * are made together by the next, one pass over the topic from the earliest position any of them
   * wants, each record handed to every reader that wants it.
   *
   * @return the positions reached; empty when the topic does not exist
   */
  Optional<Map<TopicPartition, Long>> read(
      Map<TopicPartition, Long> from, BiConsumer<byte[], byte[]> sink) {
    Reader mine = new Reader(from, sink);
    synchronized (queueLock) {
      queued.add(mine);
    }
    synchronized (this) {
      if (!mine.done) {
        List<Reader> batch;
        synchronized (queueLock) {
          batch = queued;
          queued = new ArrayList<>();
        }
        try {
          Optional<Map<TopicPartition, Long>> reached = readFor(batch);
          batch.forEach(reader -> reader.reached = reached);
        } catch (RuntimeException e) {
          batch.forEach(reader -> reader.failure = reader.failure == null ? e : reader.failure);
        }
        batch.forEach(reader -> reader.done = true);
      }
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.reached;
  }

  /** Reads waiting for the next pass (for tests). */
  int queuedReads() {
    synchronized (queueLock) {
      return queued.size();
    }
  }

  /** Passes over the topic so far (for tests). */
  synchronized long passes() {
    return passes;
  }

  /** One pass over the topic for the readers. Holds the lock. */
  private Optional<Map<TopicPartition, Long>> readFor(List<Reader> readers) {
    passes++;
    KafkaConsumer<byte[], byte[]> reader = consumer();
    List<PartitionInfo> infos = reader.partitionsFor(name, timeout);
    if (infos == null || infos.isEmpty()) {
      return Optional.empty();
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(info -> partitions.add(new TopicPartition(name, info.partition())));
    reader.assign(partitions);
    Map<TopicPartition, Long> ends = reader.endOffsets(partitions, timeout);
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition partition : partitions) {
      Long start = null;
      for (Reader one : readers) {
        Long from = one.from.get(partition);
        if (from == null) {
          start = null;
          break;
        }
        start = start == null ? from : Math.min(start, from);
      }
      if (start == null) {
        reader.seekToBeginning(List.of(partition));
      } else {
        reader.seek(partition, start);
      }
    }
    long deadline = System.nanoTime() + timeout.multipliedBy(6).toNanos();
    while (true) {
      boolean done = true;
      for (TopicPartition partition : partitions) {
        long position = reader.position(partition, timeout);
        positions.put(partition, position);
        done &= position >= ends.getOrDefault(partition, 0L);
      }
      if (done) {
        break;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new KafkaException(
            "reading "
                + name
                + " on "
                + connection
                + " did not reach its end within "
                + timeout.multipliedBy(6));
      }
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
        TopicPartition partition = new TopicPartition(name, record.partition());
        if (record.offset() < ends.getOrDefault(partition, 0L) && record.key() != null) {
          for (Reader one : readers) {
            if (one.failure == null && one.wants(partition, record.offset())) {
              try {
                one.sink.accept(record.key(), record.value());
              } catch (RuntimeException e) { // fails that reader, not the others
                one.failure = e;
              }
            }
          }
        }
      }
    }
    return Optional.of(positions);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties props = base();
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.CLIENT_ID_CONFIG, "groupwarden-operator-snapshots");
      props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
      props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * MAX_RECORD_BYTES);
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
      props.put(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          (int) Math.max(30_000, timeout.toMillis() * 3));
      props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
      producer = new KafkaProducer<>(props);
    }
    return producer;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Properties props = base();
      props.put(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "groupwarden-operator-snapshot-reader");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
      props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES);
      props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * MAX_RECORD_BYTES);
      // A read stops at the end offsets it read first, so it never waits for new records; but the
      // fetch a poll sends ahead waits this long at the log end, and the next read (the policies of
      // a cluster share this consumer) cannot fetch until it returns: Kafka's 500 ms default made
      // every restore after the first take half a second.
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
      props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
      props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
      consumer = new KafkaConsumer<>(props);
    }
    return consumer;
  }

  private Properties base() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
    props.putAll(connection.clientProperties());
    return props;
  }

  /** Waits for what was sent to be written. */
  synchronized void flush() {
    if (producer != null) {
      producer.flush();
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }
}
