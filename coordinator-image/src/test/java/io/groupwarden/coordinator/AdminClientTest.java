package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.testkit.KafkaBroker;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka's admin client against the broker, and the same workload against Apache Kafka 4.4. */
class AdminClientTest {
  @RegisterExtension static final CoordinatorPerClass broker = new CoordinatorPerClass();

  @Test
  void topicsAreCreatedListedDescribedConfiguredAndDeleted() throws Exception {
    broker
        .admin()
        .createTopics(
            List.of(
                new NewTopic("admin-topic", 3, (short) 1).configs(Map.of("retention.ms", "60000"))))
        .all()
        .get();
    assertThat(broker.admin().listTopics().names().get()).contains("admin-topic");
    TopicDescription description = Clients.describeTopic(broker.admin(), "admin-topic");
    assertThat(description.partitions()).hasSize(3);
    assertThat(description.topicId()).isNotNull();
    assertThat(
            broker
                .admin()
                .describeConfigs(
                    List.of(new ConfigResource(ConfigResource.Type.TOPIC, "admin-topic")))
                .all()
                .get()
                .values()
                .iterator()
                .next()
                .get("retention.ms")
                .value())
        .isEqualTo("60000");
    assertThat(broker.admin().describeCluster().nodes().get()).hasSize(1);

    assertThatThrownBy(
            () ->
                broker
                    .admin()
                    .createTopics(List.of(new NewTopic("admin-topic", 1, (short) 1)))
                    .all()
                    .get())
        .hasCauseInstanceOf(TopicExistsException.class);

    broker.admin().deleteTopics(List.of("admin-topic")).all().get();
    assertThat(broker.admin().listTopics().names().get()).doesNotContain("admin-topic");
    assertThatThrownBy(
            () -> broker.admin().describeTopics(List.of("admin-topic")).allTopicNames().get())
        .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
  }

  @Test
  void groupsAreListedDescribedResetAndDeleted() throws Exception {
    String topic = "admin-groups";
    broker.admin().createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    produce(broker.bootstrapServers(), topic, 2, 50);
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(
            broker.bootstrapServers(),
            "admin-group",
            Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "admin-static"))) {
      consumer.subscribe(List.of(topic));
      Clients.pollUntilAssigned(consumer, 2);
      consumer.commitSync();

      assertThat(broker.admin().listGroups().all().get())
          .extracting(GroupListing::groupId)
          .contains("admin-group");
      ConsumerGroupDescription live = Clients.describeGroup(broker.admin(), "admin-group");
      assertThat(live.groupState()).isEqualTo(GroupState.STABLE);
      assertThat(live.type()).isEqualTo(GroupType.CLASSIC);
      assertThat(live.members()).hasSize(1);
      assertThat(live.members().iterator().next().assignment().topicPartitions()).hasSize(2);

      assertThatThrownBy(
              () -> broker.admin().deleteConsumerGroups(List.of("admin-group")).all().get())
          .hasCauseInstanceOf(GroupNotEmptyException.class);

      // Batch leave by group.instance.id (KIP-345), as kafka-consumer-groups does.
      broker
          .admin()
          .removeMembersFromConsumerGroup(
              "admin-group",
              new RemoveMembersFromConsumerGroupOptions(
                  List.of(new MemberToRemove("admin-static"))))
          .all()
          .get();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Clients.describeGroup(broker.admin(), "admin-group").groupState()
                    == GroupState.EMPTY);

    TopicPartition p0 = new TopicPartition(topic, 0);
    broker
        .admin()
        .alterConsumerGroupOffsets("admin-group", Map.of(p0, new OffsetAndMetadata(10)))
        .all()
        .get();
    assertThat(
            broker
                .admin()
                .listConsumerGroupOffsets("admin-group")
                .partitionsToOffsetAndMetadata()
                .get()
                .get(p0)
                .offset())
        .isEqualTo(10);
    broker.admin().deleteConsumerGroupOffsets("admin-group", Set.of(p0)).all().get();
    assertThat(
            broker
                .admin()
                .listConsumerGroupOffsets("admin-group")
                .partitionsToOffsetAndMetadata()
                .get())
        .doesNotContainKey(p0);

    broker.admin().deleteConsumerGroups(List.of("admin-group")).all().get();
    assertThat(broker.admin().listGroups().all().get())
        .extracting(GroupListing::groupId)
        .doesNotContain("admin-group");
  }

  @Test
  void offsetsAreListedEarliestLatestAndByTimestamp() throws Exception {
    String topic = "admin-offsets";
    broker.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, 0, 1_000L * (i + 1), null, "v" + i)).get();
      }
    }
    assertThat(offset(tp, OffsetSpec.earliest())).isEqualTo(0);
    assertThat(offset(tp, OffsetSpec.latest())).isEqualTo(10);
    assertThat(offset(tp, OffsetSpec.forTimestamp(4_500))).isEqualTo(4);
    assertThat(offset(tp, OffsetSpec.forTimestamp(99_000))).isEqualTo(-1);
    assertThat(offset(tp, OffsetSpec.maxTimestamp())).isEqualTo(9);
  }

  private static long offset(TopicPartition tp, OffsetSpec spec) throws Exception {
    return broker.admin().listOffsets(Map.of(tp, spec)).partitionResult(tp).get().offset();
  }

  @Test
  void garbageOnOneConnectionDoesNotDisturbOthers() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", broker.coordinator().kafkaPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          new byte[] {
            0, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
          });
      out.flush();
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      assertThat(in.read()).isEqualTo(-1); // closed by the broker
    }
    assertThat(broker.admin().describeCluster().clusterId().get()).isNotBlank();
  }

  /**
   * The same workload against this broker and against Apache Kafka: committed offsets, log end
   * offsets, the lag derived from them and the group description must be the same.
   */
  @Test
  void lagSeenThroughTheAdminClientIsTheSameAsOnApacheKafka() throws Exception {
    LagView ours = runLagWorkload(broker.bootstrapServers());
    LagView kafka = runLagWorkload(KafkaBroker.shared().bootstrapServers());
    assertThat(ours).isEqualTo(kafka);
    assertThat(ours.lag()).containsEntry(1, 20L).containsEntry(2, 40L);
  }

  record LagView(
      Map<Integer, Long> committed,
      Map<Integer, Long> logEnd,
      Map<Integer, Long> lag,
      GroupState stateWhileConsuming,
      int members,
      int assignedPartitions,
      String assignor,
      GroupState stateAfterClose) {}

  static LagView runLagWorkload(String bootstrap) throws Exception {
    String topic = "lag-workload";
    String group = "lag-workload-group";
    try (Admin admin = Clients.admin(bootstrap)) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
      produce(bootstrap, topic, 3, 40);
      GroupState consuming;
      int members;
      int assigned;
      String assignor;
      try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, group, Map.of())) {
        consumer.subscribe(List.of(topic));
        Clients.pollUntilAssigned(consumer, 3);
        consumer.commitSync(
            Map.of(
                new TopicPartition(topic, 0), new OffsetAndMetadata(40),
                new TopicPartition(topic, 1), new OffsetAndMetadata(20),
                new TopicPartition(topic, 2), new OffsetAndMetadata(0)));
        ConsumerGroupDescription description = Clients.describeGroup(admin, group);
        consuming = description.groupState();
        members = description.members().size();
        assigned = description.members().iterator().next().assignment().topicPartitions().size();
        assignor = description.partitionAssignor();
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest =
          committed.keySet().stream()
              .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
      Map<Integer, Long> committedByPartition = new TreeMap<>();
      Map<Integer, Long> endByPartition = new TreeMap<>();
      Map<Integer, Long> lag = new TreeMap<>();
      committed.forEach(
          (tp, om) -> {
            committedByPartition.put(tp.partition(), om.offset());
            long end = ends.get(tp).offset();
            endByPartition.put(tp.partition(), end);
            lag.put(tp.partition(), Math.max(0, end - om.offset()));
          });
      GroupState after = Clients.describeGroup(admin, group).groupState();
      return new LagView(
          committedByPartition, endByPartition, lag, consuming, members, assigned, assignor, after);
    }
  }

  static void produce(String bootstrap, String topic, int partitions, int perPartition)
      throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
      for (int p = 0; p < partitions; p++) {
        for (int i = 0; i < perPartition; i++) {
          producer.send(new ProducerRecord<>(topic, p, "k" + i, "v" + i));
        }
      }
      producer.flush();
    }
  }
}
