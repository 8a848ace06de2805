package io.groupwarden.operator.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The consumer groups the benchmark watches, on a real broker: {@code groups} groups with committed
 * offsets, group {@code i} on topic {@code i % topics}, each topic with {@link #PARTITIONS}
 * partitions of {@link #RECORDS} records. The groups have no members (they are Empty, as groups
 * between deployments are) and stand at different distances from the log end, a quarter of them
 * caught up, so the evaluations differ.
 */
record ScaleWorkload(int groups, int topics) {
  static final int PARTITIONS = 10;
  static final int RECORDS = 100;

  static String topic(int index) {
    return "bench-topic-%03d".formatted(index);
  }

  static String group(int index) {
    return "bench-group-%05d".formatted(index);
  }

  String topicOf(int group) {
    return topic(group % topics);
  }

  /** Creates the topics, fills them and commits every group's offsets. */
  void create(Admin admin, String bootstrap) throws Exception {
    List<NewTopic> newTopics = new ArrayList<>();
    for (int t = 0; t < topics; t++) {
      newTopics.add(new NewTopic(topic(t), PARTITIONS, (short) 1));
    }
    admin.createTopics(newTopics).all().get(2, TimeUnit.MINUTES);
    awaitLeaders(admin);
    produce(bootstrap);
    commitOffsets(admin);
  }

  private void awaitLeaders(Admin admin) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int t = 0; t < topics; t++) {
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(topic(t), p), OffsetSpec.latest());
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        if (admin.listOffsets(latest).all().get().size() == latest.size()) {
          return;
        }
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the topics have no leaders", e);
        }
      }
      Thread.sleep(200);
    }
  }

  private void produce(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int t = 0; t < topics; t++) {
        for (int p = 0; p < PARTITIONS; p++) {
          for (int r = 0; r < RECORDS; r++) {
            producer.send(new ProducerRecord<>(topic(t), p, "k" + r, "order-" + r));
          }
        }
      }
      producer.flush();
    }
  }

  /** Group i commits {@code RECORDS - 25 * (i % 4)} on every partition of its topic. */
  private void commitOffsets(Admin admin) throws Exception {
    List<KafkaFuture<Void>> pending = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      long offset = RECORDS - 25L * (g % 4);
      for (int p = 0; p < PARTITIONS; p++) {
        offsets.put(new TopicPartition(topicOf(g), p), new OffsetAndMetadata(offset));
      }
      pending.add(admin.alterConsumerGroupOffsets(group(g), offsets).all());
      if (pending.size() == 500) {
        await(pending);
      }
    }
    await(pending);
  }

  private static void await(List<KafkaFuture<Void>> pending) throws Exception {
    for (KafkaFuture<Void> future : pending) {
      future.get(2, TimeUnit.MINUTES);
    }
    pending.clear();
  }
}
