package io.groupwarden.sink;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topics, messages and offsets on a test broker, through the real Kafka clients. */
public final class KafkaFixture implements AutoCloseable {
  private final String bootstrapServers;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  public KafkaFixture(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    this.producer = new KafkaProducer<>(props);
  }

  public Admin admin() {
    return admin;
  }

  /** Creates a topic and its dead-letter topic ({@code <topic>.dlq}, one partition). */
  public void createTopic(String topic, int partitions) {
    try {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1),
                  new NewTopic(topic + ".dlq", 1, (short) 1)))
          .all()
          .get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
    awaitServed(topic, partitions);
    awaitServed(topic + ".dlq", 1);
  }

  /**
   * Waits until the broker answers for every partition of a new topic: producing before it has a
   * leader can leave an idempotent producer retrying out-of-order sequences.
   */
  private void awaitServed(String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> admin.listOffsets(latest).all().get().size() == partitions);
  }

  /**
   * JSON messages {@code {"n": i}} for i from {@code from}, the even ones with their own {@code
   * message_id}.
   */
  public static List<String> numberedMessages(int from, int count) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      values.add(
          i % 2 == 0 ? "{\"message_id\":\"id-" + i + "\",\"n\":" + i + "}" : "{\"n\":" + i + "}");
    }
    return values;
  }

  /** Sends the values to the given partitions in turn (value i to partition i mod partitions). */
  public void produce(String topic, int partitions, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      producer.send(
          new ProducerRecord<>(
              topic,
              i % partitions,
              null,
              value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  public void produce(ProducerRecord<byte[], byte[]> record) {
    producer.send(record);
    producer.flush();
  }

  /** Reads a topic from its start until {@code count} records have arrived. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(timeout)
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
              });
    }
    return records;
  }

  /** The number of records in a topic (log end minus log start, over its partitions). */
  public long size(String topic) {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<TopicPartition, Long> endOffsets(String topic) {
    try {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The group's committed offsets (partitions without a commit are absent). */
  public Map<TopicPartition, Long> committed(String group) {
    try {
      Map<TopicPartition, Long> committed = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      offsets.forEach(
          (tp, offset) -> {
            if (offset != null) {
              committed.put(tp, offset.offset());
            }
          });
      return committed;
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
