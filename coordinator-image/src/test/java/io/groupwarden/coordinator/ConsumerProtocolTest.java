package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka 4 consumers with group.protocol=consumer (KIP-848) in groups the broker assigns. */
class ConsumerProtocolTest {
  static RunningCoordinator broker;
  static Admin admin;

  @BeforeAll
  static void start() {
    broker =
        RunningCoordinator.start(
            Map.of(
                "group-consumer-session-timeout", "3s",
                "group-consumer-heartbeat-interval", "200ms"));
    admin = Clients.admin(broker.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  static KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
    Map<String, Object> settings = new java.util.HashMap<>(extra);
    settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    return Clients.consumer(broker.bootstrapServers(), group, settings);
  }

  static void produce(String topic, int count) {
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
      }
    }
  }

  @Test
  void aConsumerProtocolMemberIsAssignedEveryPartitionAndConsumes() throws Exception {
    admin.createTopics(List.of(new NewTopic("kip848-one", 4, (short) 1))).all().get();
    produce("kip848-one", 100);
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = consumer("one", Map.of())) {
      consumer.subscribe(List.of("kip848-one"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                  seen.add(r.value());
                }
                return seen.size() == 100;
              });
      assertThat(consumer.assignment()).hasSize(4);
      consumer.commitSync();
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of("one")).all().get().get("one");
      assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
      assertThat(description.members()).hasSize(1);
      assertThat(description.members().iterator().next().assignment().topicPartitions()).hasSize(4);
    }
  }
}
