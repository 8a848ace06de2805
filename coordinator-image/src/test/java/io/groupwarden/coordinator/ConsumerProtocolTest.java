package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.coordinator.support.GroupMemberThread;
import io.groupwarden.coordinator.support.MembershipChurn;
import io.groupwarden.coordinator.support.OwnershipLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka 4 consumers with group.protocol=consumer (KIP-848) in groups the broker assigns. */
class ConsumerProtocolTest {
  @RegisterExtension
  static final CoordinatorPerClass broker =
      new CoordinatorPerClass(
          Map.of(
              "group-consumer-session-timeout", "3s",
              "group-consumer-heartbeat-interval", "200ms"));

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
    broker.admin().createTopics(List.of(new NewTopic("kip848-one", 4, (short) 1))).all().get();
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
      ConsumerGroupDescription description = Clients.describeGroup(broker.admin(), "one");
      assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
      assertThat(description.members()).hasSize(1);
      assertThat(description.members().iterator().next().assignment().topicPartitions()).hasSize(4);
    }
  }

  @Test
  void everyRecordIsConsumedExactlyOnceWhileMembersLeaveCrashAndJoin() throws Exception {
    String topic = "kip848-exactly-once";
    String group = "kip848-exactly-once-group";
    broker.createTopic(topic, 6);
    OwnershipLog ownership = new OwnershipLog();
    Map<String, Object> settings = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    new MembershipChurn(broker.bootstrapServers(), group, topic, 0, "consumer")
        .run(
            name -> new GroupMemberThread(consumer(group, settings), topic, name, ownership),
            child -> {
              replayChildOwnership(child.lines(), topic, ownership, child.killedAt());
              assertThat(ownership.overlaps()).isEmpty();
            });
  }

  /** The killed member's callbacks, from its output, into the group's ownership log. */
  static void replayChildOwnership(
      List<String> childLines, String topic, OwnershipLog ownership, long killedAt) {
    for (String line : childLines) {
      String[] parts = line.split(" ");
      if (parts.length < 2 || !(parts[0].equals("ASSIGNED") || parts[0].equals("REVOKED"))) {
        continue;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      if (parts.length > 2) {
        for (String p : parts[2].split(",")) {
          if (!p.isEmpty()) {
            partitions.add(new TopicPartition(topic, Integer.parseInt(p)));
          }
        }
      }
      long at = Long.parseLong(parts[1]);
      if (parts[0].equals("ASSIGNED")) {
        ownership.assigned("child", partitions, at);
      } else {
        ownership.released("child", partitions, at);
      }
    }
    ownership.releasedAll("child", killedAt);
  }

  @Test
  void theRangeAssignorChosenByTheClientsGivesCoPartitionedTopicsTheSamePartitions()
      throws Exception {
    broker.createTopic("kip848-range-a", 4);
    broker.createTopic("kip848-range-b", 4);
    Map<String, Object> range = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range");
    try (GroupMemberThread first =
            new GroupMemberThread(
                consumer("kip848-range", range), "kip848-range-a,kip848-range-b", "r-1");
        GroupMemberThread second =
            new GroupMemberThread(
                consumer("kip848-range", range), "kip848-range-a,kip848-range-b", "r-2")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.owned().size() == 4 && second.owned().size() == 4);
      for (GroupMemberThread member : List.of(first, second)) {
        Set<Integer> ofA = new HashSet<>();
        Set<Integer> ofB = new HashSet<>();
        member
            .owned()
            .forEach(tp -> (tp.topic().equals("kip848-range-a") ? ofA : ofB).add(tp.partition()));
        assertThat(ofA).isEqualTo(ofB).hasSize(2);
      }
      assertThat(Clients.describeGroup(broker.admin(), "kip848-range").partitionAssignor())
          .isEqualTo("range");
    }
  }

  @Test
  void theUniformAssignorIsTheDefaultAndBalances() throws Exception {
    broker.createTopic("kip848-uniform", 7);
    try (GroupMemberThread first =
            new GroupMemberThread(consumer("kip848-uniform", Map.of()), "kip848-uniform", "u-1");
        GroupMemberThread second =
            new GroupMemberThread(consumer("kip848-uniform", Map.of()), "kip848-uniform", "u-2")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  first.owned().size() + second.owned().size() == 7
                      && first.owned().size() >= 3
                      && second.owned().size() >= 3);
      assertThat(Math.abs(first.owned().size() - second.owned().size())).isEqualTo(1);
      ConsumerGroupDescription description =
          Clients.describeGroup(broker.admin(), "kip848-uniform");
      assertThat(description.partitionAssignor()).isEqualTo("uniform");
      assertThat(description.groupEpoch()).isPresent();
      assertThat(description.targetAssignmentEpoch()).isEqualTo(description.groupEpoch());
    }
  }

  @Test
  void aRegularExpressionSubscriptionPicksUpATopicCreatedAfterwards() throws Exception {
    broker.createTopic("kip848-re-first", 2);
    try (KafkaConsumer<String, String> consumer = consumer("kip848-regex", Map.of())) {
      consumer.subscribe(new SubscriptionPattern("kip848-re-.*"));
      Clients.pollUntilAssigned(consumer, 2);
      broker.createTopic("kip848-re-second", 3);
      produce("kip848-re-second", 10);
      Set<String> fromSecond = new HashSet<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                  if (r.topic().equals("kip848-re-second")) {
                    fromSecond.add(r.value());
                  }
                }
                return fromSecond.size() == 10;
              });
      assertThat(consumer.assignment()).hasSize(5);
    }
  }

  @Test
  void aStaticMemberThatRestartsGetsItsPartitionsBackAndNobodyElseMoves() throws Exception {
    broker.createTopic("kip848-static", 6);
    Map<String, Object> first = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "static-1");
    Map<String, Object> second = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "static-2");
    try (GroupMemberThread stays =
        new GroupMemberThread(consumer("kip848-static", first), "kip848-static", "s-1")) {
      GroupMemberThread restarting =
          new GroupMemberThread(consumer("kip848-static", second), "kip848-static", "s-2");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stays.owned().size() == 3 && restarting.owned().size() == 3);
      Set<TopicPartition> before = restarting.owned();
      int revocationsBefore = stays.revocations().size();
      int assignmentsBefore = stays.assignments().size();

      restarting.close(); // a static member leaves with epoch -2 and keeps its place
      try (GroupMemberThread restarted =
          new GroupMemberThread(consumer("kip848-static", second), "kip848-static", "s-2b")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.owned().size() == 3);
        assertThat(restarted.owned()).isEqualTo(before);
        assertThat(stays.revocations()).hasSize(revocationsBefore);
        assertThat(stays.assignments()).hasSize(assignmentsBefore);
        assertThat(stays.owned()).hasSize(3);
      }
    }
  }
}
