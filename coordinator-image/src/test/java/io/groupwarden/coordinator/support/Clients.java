package io.groupwarden.coordinator.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Unmodified Kafka clients, configured as an application would, pointed at a broker. */
public final class Clients {
  private Clients() {}

  public static KafkaProducer<String, String> producer(
      String bootstrap, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.putAll(overrides);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  public static KafkaProducer<String, String> producer(String bootstrap) {
    return producer(bootstrap, Map.of());
  }

  public static KafkaConsumer<String, String> consumer(
      String bootstrap, String groupId, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putAll(overrides);
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  public static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /**
   * The values a new consumer with {@code isolation} ("read_committed" or "read_uncommitted") reads
   * from {@code topic}: once it has at least {@code expected}, until three polls in a row bring
   * nothing more, or until {@code timeout}.
   */
  public static List<String> readValues(
      String bootstrap, String topic, String isolation, int expected, Duration timeout) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        consumer(
            bootstrap,
            "reader-" + System.nanoTime(),
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      int quiet = 0;
      while (System.nanoTime() < deadline && quiet < 3) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(300));
        records.forEach(record -> values.add(record.value()));
        quiet = values.size() >= expected && records.isEmpty() ? quiet + 1 : 0;
      }
    }
    return values;
  }

  /** The Admin client's description of one consumer group. */
  public static ConsumerGroupDescription describeGroup(Admin admin, String groupId)
      throws Exception {
    return admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
  }

  /** The Admin client's description of one transactional id's transaction. */
  public static TransactionDescription describeTransaction(Admin admin, String transactionalId)
      throws Exception {
    return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
  }

  /** The Admin client's description of one topic. */
  public static TopicDescription describeTopic(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
  }

  /**
   * Reads partitions {@code 0..partitions-1} of {@code topic} from their start up to the end
   * offsets they have when it begins, handing each record to {@code each}. Gives up after {@code
   * timeout} (the caller's assertions then show what is missing).
   */
  public static <K, V> void readToEnd(
      Consumer<K, V> consumer,
      String topic,
      int partitions,
      Duration timeout,
      java.util.function.Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> assigned = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      assigned.add(new TopicPartition(topic, p));
    }
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline
        && assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      consumer.poll(Duration.ofMillis(300)).forEach(each);
    }
  }

  /**
   * Polls a consumer that has subscribed until it has been assigned at least {@code partitions}
   * partitions (within 30 seconds).
   */
  public static void pollUntilAssigned(Consumer<?, ?> consumer, int partitions) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100));
              return consumer.assignment().size() >= partitions;
            });
  }
}
