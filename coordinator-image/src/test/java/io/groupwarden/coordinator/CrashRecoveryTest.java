package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.Clients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The broker process is killed with SIGKILL mid-stream; what it acknowledged must survive. */
class CrashRecoveryTest {

  @Test
  void noAcknowledgedRecordOrOffsetIsLostWhenTheBrokerIsKilled() throws Exception {
    Path dataDir = Files.createTempDirectory("crash-").resolve("data");
    String topic = "crash";
    TopicPartition partition0 = new TopicPartition(topic, 0);
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    Map<Integer, Long> acknowledgedCommit = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);

    try (ChildBroker broker = new ChildBroker(dataDir).start()) {
      try (Admin admin = Clients.admin(broker.bootstrapServers())) {
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      }
      KafkaProducer<String, String> producer =
          Clients.producer(
              broker.bootstrapServers(),
              Map.of(
                  ProducerConfig.ACKS_CONFIG, "all",
                  ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
                  ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                  ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000));
      Thread producing =
          new Thread(
              () -> {
                for (int i = 0; running.get(); i++) {
                  String value = "value-" + i;
                  try {
                    producer.send(
                        new ProducerRecord<>(topic, 0, null, value),
                        (metadata, error) -> {
                          if (error == null) {
                            acknowledged.put(metadata.offset(), value);
                          }
                        });
                  } catch (RuntimeException e) {
                    return;
                  }
                }
              });
      KafkaConsumer<String, String> committer =
          Clients.consumer(
              broker.bootstrapServers(),
              "crash-committer",
              Map.of(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000));
      AtomicLong nextCommit = new AtomicLong(1);
      Thread committing =
          new Thread(
              () -> {
                while (running.get()) {
                  long offset = nextCommit.getAndIncrement();
                  try {
                    committer.commitSync(
                        Map.of(
                            partition0,
                            new OffsetAndMetadata(offset),
                            new TopicPartition(topic, 1),
                            new OffsetAndMetadata(offset)),
                        Duration.ofSeconds(2));
                    acknowledgedCommit.merge(0, offset, Math::max);
                  } catch (RuntimeException e) {
                    return;
                  }
                }
              });
      producing.start();
      committing.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> acknowledged.size() >= 20_000 && acknowledgedCommit.getOrDefault(0, 0L) >= 200);
      broker.kill();
      running.set(false);
      producing.join(10_000);
      committing.join(10_000);
      producer.close(Duration.ZERO);
      committer.close(Duration.ZERO);
    }
    assertThat(acknowledged).hasSizeGreaterThan(1000);
    assertThat(acknowledgedCommit.get(0)).isGreaterThan(10);

    try (ChildBroker restarted = new ChildBroker(dataDir).start();
        KafkaConsumer<String, String> reader =
            Clients.consumer(restarted.bootstrapServers(), "crash-reader", Map.of());
        Admin admin = Clients.admin(restarted.bootstrapServers())) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("crash-committer").partitionsToOffsetAndMetadata().get();
      assertThat(committed.get(partition0).offset())
          .isGreaterThanOrEqualTo(acknowledgedCommit.get(0));

      reader.assign(List.of(partition0));
      reader.seekToBeginning(List.of(partition0));
      long end = reader.endOffsets(List.of(partition0)).get(partition0);
      Map<Long, String> stored = new HashMap<>();
      while (reader.position(partition0) < end) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
          stored.put(record.offset(), record.value());
        }
      }
      assertThat(stored).containsAllEntriesOf(acknowledged);
    }
  }
}
