package io.groupwarden.operator.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real Kafka producers, consumers and topics for tests that drive workloads. */
public final class KafkaTestClients implements AutoCloseable {
  private final String bootstrap;
  private final Map<String, Object> security;
  private final Admin admin;
  private final KafkaProducer<String, String> producer;

  public KafkaTestClients(String bootstrap) {
    this(bootstrap, Map.of());
  }

  /**
   * Clients with extra properties for all of them: TLS and SASL settings.
   *
   * @param security e.g. security.protocol, sasl.jaas.config, ssl.truststore.certificates
   */
  public KafkaTestClients(String bootstrap, Map<String, Object> security) {
    this.bootstrap = bootstrap;
    this.security = Map.copyOf(security);
    Map<String, Object> adminProps = new java.util.HashMap<>(security);
    adminProps.put("bootstrap.servers", bootstrap);
    this.admin = Admin.create(adminProps);
    Properties props = new Properties();
    props.putAll(security);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(props);
  }

  public Admin admin() {
    return admin;
  }

  public void createTopic(String topic, int partitions) {
    createTopic(topic, partitions, Map.of());
  }

  /** Creates a topic with settings of its own, e.g. {@code retention.ms}. */
  public void createTopic(String topic, int partitions, Map<String, String> configs) {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
          .all()
          .get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + topic, e);
    }
    // Producing before every partition has a leader can leave an idempotent producer retrying.
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> admin.listOffsets(latest).all().get().size() == partitions);
  }

  /** Sends {@code count} records to each partition of the topic and waits until all are acked. */
  public void produce(String topic, int partitions, int count) {
    try {
      for (int i = 0; i < count; i++) {
        for (int p = 0; p < partitions; p++) {
          producer.send(new ProducerRecord<>(topic, p, "k" + i, "v" + i));
        }
      }
      producer.flush();
    } catch (RuntimeException e) {
      throw new IllegalStateException("produce failed", e);
    }
  }

  /** Sends one record to one partition and waits until it is acknowledged. */
  public void produceTo(String topic, int partition, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, partition, "k", value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("produce failed", e);
    }
  }

  /** Sends one record with the given timestamp (CreateTime) and waits for its acknowledgement. */
  public void produceAt(String topic, int partition, long timestamp, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, partition, timestamp, "k", value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("produce failed", e);
    }
  }

  /** Commits offsets for a group without members (the group is then Empty). */
  public void commit(String group, Map<TopicPartition, Long> offsets) {
    try (KafkaConsumer<String, String> consumer = consumer(group, null)) {
      Map<TopicPartition, OffsetAndMetadata> commit = new java.util.HashMap<>();
      offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
      consumer.commitSync(commit);
    }
  }

  /**
   * Commits {@code offsets[p]} on partition p of {@code topic}, as {@link #commit(String, Map)}.
   */
  public void commit(String group, String topic, long... offsets) {
    Map<TopicPartition, Long> byPartition = new java.util.HashMap<>();
    for (int p = 0; p < offsets.length; p++) {
      byPartition.put(new TopicPartition(topic, p), offsets[p]);
    }
    commit(group, byPartition);
  }

  /**
   * The lag of {@code group} on partitions 0 to {@code partitions - 1} of {@code topic} as the
   * Admin client computes it: log end offsets less committed offsets.
   */
  public long adminLag(String group, String topic, int partitions)
      throws InterruptedException, ExecutionException {
    var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long lag = 0;
    for (var end : logEnds(topic, partitions).entrySet()) {
      lag += end.getValue() - committed.get(end.getKey()).offset();
    }
    return lag;
  }

  /** The log end offsets of partitions 0 to {@code partitions - 1} of {@code topic}. */
  public Map<TopicPartition, Long> logEnds(String topic, int partitions)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new java.util.HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** The log end offset of {@code partition}. */
  public long logEnd(TopicPartition partition) throws InterruptedException, ExecutionException {
    return admin
        .listOffsets(Map.of(partition, OffsetSpec.latest()))
        .partitionResult(partition)
        .get()
        .offset();
  }

  /** A consumer in {@code group}, static when {@code instanceId} is given. */
  public KafkaConsumer<String, String> consumer(String group, String instanceId) {
    return consumer(group, instanceId, Map.of());
  }

  /** A consumer in {@code group} with extra consumer properties. */
  public KafkaConsumer<String, String> consumer(
      String group, String instanceId, Map<String, Object> extra) {
    Properties props = new Properties();
    props.putAll(security);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    if (instanceId != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    props.putAll(extra);
    if ("consumer"
        .equalsIgnoreCase(String.valueOf(extra.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
      // With the consumer protocol (KIP-848) the broker sets these; the client may not.
      props.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
      props.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    }
    return new KafkaConsumer<>(props);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
