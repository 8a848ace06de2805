package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.GroupMemberThread;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
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
import org.junit.jupiter.api.io.TempDir;

/** The broker process is killed with SIGKILL mid-stream; what it acknowledged must survive. */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void noAcknowledgedRecordOrOffsetIsLostWhenTheBrokerIsKilled() throws Exception {
    Path dataDir = dir.resolve("data");
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

  @Test
  void aConsumerProtocolGroupItsEpochsAndOffsetsComeBackWhenTheBrokerIsKilled() throws Exception {
    Path dataDir = dir.resolve("data");
    String topic = "crash-848";
    String group = "crash-848-group";
    Map<String, Object> consumerProtocol = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    ConsumerGroupDescription before;
    Map<TopicPartition, OffsetAndMetadata> committedBefore;
    // The session timeout outlasts the restart and the describe after it (a loaded machine takes
    // seconds to start a JVM), so the dead members are still there to be compared; they time out
    // before the new member's wait ends.
    String[] flags = {
      "--group-consumer-session-timeout", "12s", "--group-consumer-heartbeat-interval", "300ms"
    };
    try (ChildBroker broker = new ChildBroker(dataDir, flags).start()) {
      try (Admin admin = Clients.admin(broker.bootstrapServers())) {
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
          for (int i = 0; i < 1000; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + i, "first-" + i));
          }
        }
        GroupMemberThread a =
            new GroupMemberThread(
                Clients.consumer(broker.bootstrapServers(), group, consumerProtocol), topic, "a");
        GroupMemberThread b =
            new GroupMemberThread(
                Clients.consumer(broker.bootstrapServers(), group, consumerProtocol), topic, "b");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    a.consumed().size() + b.consumed().size() == 1000
                        && a.owned().size() == 2
                        && b.owned().size() == 2);
        before = Clients.describeGroup(admin, group);
        committedBefore =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        broker.kill();
        // The members die with the broker: no LeaveGroup reaches anyone.
        new Thread(a::close).start();
        new Thread(b::close).start();
      }
    }
    assertThat(before.type()).isEqualTo(org.apache.kafka.common.GroupType.CONSUMER);
    assertThat(before.members()).hasSize(2);
    assertThat(committedBefore.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
        .isEqualTo(1000);

    try (ChildBroker restarted = new ChildBroker(dataDir, flags).start();
        Admin admin = Clients.admin(restarted.bootstrapServers())) {
      ConsumerGroupDescription after = Clients.describeGroup(admin, group);
      assertThat(after.type()).isEqualTo(org.apache.kafka.common.GroupType.CONSUMER);
      assertThat(after.groupEpoch()).isEqualTo(before.groupEpoch());
      assertThat(after.targetAssignmentEpoch()).isEqualTo(before.targetAssignmentEpoch());
      assertThat(after.members())
          .extracting(m -> m.consumerId())
          .containsExactlyInAnyOrderElementsOf(
              before.members().stream().map(m -> m.consumerId()).toList());
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
          .isEqualTo(committedBefore);

      // The dead members time out; a new one takes over from the committed offsets.
      try (KafkaProducer<String, String> producer =
          Clients.producer(restarted.bootstrapServers())) {
        for (int i = 0; i < 100; i++) {
          producer.send(new ProducerRecord<>(topic, "k" + i, "second-" + i));
        }
      }
      try (GroupMemberThread c =
          new GroupMemberThread(
              Clients.consumer(restarted.bootstrapServers(), group, consumerProtocol),
              topic,
              "c")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> c.consumed().size() >= 100);
        assertThat(c.consumed()).hasSize(100);
        assertThat(c.owned()).hasSize(4);
      }
    }
  }
}
