package io.groupwarden.operator.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.TopicRetention;
import io.groupwarden.operator.lag.RecordTimeReader.RecordAt;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaLagCollectorTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static KafkaBroker broker;
  private static KafkaTestClients kafka;
  private static KafkaAdminPool pool;

  private final KafkaLagCollector collector =
      new KafkaLagCollector(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10));

  @BeforeAll
  static void startKafka() {
    broker = KafkaBroker.shared();
    kafka = new KafkaTestClients(broker.bootstrapServers());
    pool = new KafkaAdminPool(Duration.ofSeconds(5));
  }

  @AfterAll
  static void close() {
    pool.close();
    kafka.close();
  }

  private Admin admin() {
    return pool.acquire("test", KafkaConnection.plaintext(broker.bootstrapServers()));
  }

  @Test
  void readsCommittedAndLogEndOffsetsOfEveryPartitionOfTheGroupsTopics() {
    kafka.createTopic("collect-orders", 3);
    kafka.produce("collect-orders", 3, 10);
    kafka.commit("collect-billing", "collect-orders", 10, 4);

    LagSnapshot snapshot = collector.collect(admin(), GroupSelector.ofGroups("collect-billing"));

    assertThat(snapshot.time()).isEqualTo(NOW);
    assertThat(snapshot.missingGroups()).isEmpty();
    GroupSample group = snapshot.groups().get(0);
    assertThat(group.groupId()).isEqualTo("collect-billing");
    assertThat(group.state()).isEqualTo("Empty");
    assertThat(group.members()).isEmpty();
    assertThat(group.partitions())
        .containsExactlyInAnyOrder(
            new PartitionSample("collect-orders", 0, 0, 10, 10L),
            new PartitionSample("collect-orders", 1, 0, 10, 4L),
            // no committed offset: lag is measured from the log start
            new PartitionSample("collect-orders", 2, 0, 10, null));
  }

  @Test
  void reportsMembersWithTheirAssignmentAndStaticInstanceIds() {
    kafka.createTopic("collect-live", 2);
    kafka.produce("collect-live", 2, 5);
    try (KafkaConsumer<String, String> consumer = kafka.consumer("collect-live-g", "worker-0")) {
      consumer.subscribe(List.of("collect-live"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
              });
      consumer.commitSync();

      GroupSample group =
          collector.collect(admin(), GroupSelector.ofGroups("collect-live-g")).groups().get(0);

      assertThat(group.state()).isEqualTo("Stable");
      assertThat(group.assignor()).isNotEmpty();
      assertThat(group.members()).hasSize(1);
      assertThat(group.members().get(0).instanceId()).isEqualTo("worker-0");
      assertThat(group.members().get(0).identity()).isEqualTo("worker-0");
      assertThat(group.members().get(0).assignment())
          .containsExactly(
              new PartitionRef("collect-live", 0), new PartitionRef("collect-live", 1));
    }
  }

  @Test
  void selectsGroupsByPatternAndFiltersTopics() {
    kafka.createTopic("collect-pa", 1);
    kafka.createTopic("collect-pb", 1);
    kafka.produce("collect-pa", 1, 3);
    kafka.produce("collect-pb", 1, 3);
    kafka.commit(
        "collect-pattern-1",
        Map.of(new TopicPartition("collect-pa", 0), 1L, new TopicPartition("collect-pb", 0), 2L));
    kafka.commit("collect-pattern-2", "collect-pa", 3);
    kafka.commit("collect-other", "collect-pa", 3);

    GroupSelector selector =
        new GroupSelector(List.of(), Pattern.compile("collect-pattern-.*"), Set.of("collect-pa"));
    LagSnapshot snapshot = collector.collect(admin(), selector);

    assertThat(snapshot.groups())
        .extracting(GroupSample::groupId)
        .containsExactly("collect-pattern-1", "collect-pattern-2");
    assertThat(snapshot.groups().get(0).partitions())
        .containsExactly(new PartitionSample("collect-pa", 0, 0, 3, 1L));
  }

  @Test
  void aLogStartRetentionMovedPastTheCommittedOffsetIsRead() throws Exception {
    kafka.createTopic("collect-deleted", 1);
    kafka.produce("collect-deleted", 1, 10);
    kafka.commit("collect-deleted-g", "collect-deleted", 4);
    kafka
        .admin()
        .deleteRecords(
            Map.of(new TopicPartition("collect-deleted", 0), RecordsToDelete.beforeOffset(8)))
        .all()
        .get();

    PartitionSample partition =
        collector
            .collect(admin(), GroupSelector.ofGroups("collect-deleted-g"))
            .groups()
            .get(0)
            .partitions()
            .get(0);

    assertThat(partition).isEqualTo(new PartitionSample("collect-deleted", 0, 8, 10, 4L));
    assertThat(MessageLag.lostToRetention(partition)).isEqualTo(4);
    assertThat(MessageLag.of(partition)).isEqualTo(2);
  }

  @Test
  void withRetentionTheTopicsLimitsAndTheSizeOfByteLimitedPartitionsAreRead() {
    kafka.createTopic(
        "collect-retained", 1, Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
    kafka.createTopic(
        "collect-sized", 1, Map.of("retention.ms", "-1", "retention.bytes", "10000000"));
    kafka.createTopic("collect-compacted", 1, Map.of("cleanup.policy", "compact"));
    for (String topic : List.of("collect-retained", "collect-sized", "collect-compacted")) {
      kafka.produce(topic, 1, 10);
    }
    kafka.commit(
        "collect-retention-g",
        Map.of(
            new TopicPartition("collect-retained", 0), 1L,
            new TopicPartition("collect-sized", 0), 1L,
            new TopicPartition("collect-compacted", 0), 1L));

    List<PartitionSample> partitions =
        collector
            .collectWithRetention(admin(), GroupSelector.ofGroups("collect-retention-g"))
            .groups()
            .get(0)
            .partitions();

    assertThat(partitions)
        .extracting(PartitionSample::topic, PartitionSample::retention)
        .containsExactlyInAnyOrder(
            tuple("collect-retained", new TopicRetention(3_600_000L, null)),
            tuple("collect-sized", new TopicRetention(null, 10_000_000L)),
            tuple("collect-compacted", TopicRetention.UNLIMITED));
    for (PartitionSample partition : partitions) {
      if (partition.topic().equals("collect-sized")) {
        assertThat(partition.sizeBytes()).isPositive();
      } else {
        assertThat(partition.sizeBytes()).isEqualTo(-1);
      }
    }
  }

  @Test
  void theTimestampOfTheRecordAtAnOffsetIsReadInOneFetch() throws Exception {
    kafka.createTopic("collect-times", 2);
    long hourAgo = System.currentTimeMillis() - 3_600_000;
    for (int i = 0; i < 5; i++) {
      kafka.produceAt("collect-times", 0, hourAgo + i * 1000L, "v" + i);
      kafka.produceAt("collect-times", 1, hourAgo + i * 2000L, "v" + i);
    }
    kafka
        .admin()
        .deleteRecords(
            Map.of(new TopicPartition("collect-times", 1), RecordsToDelete.beforeOffset(3)))
        .all()
        .get();

    RecordAt second = new RecordAt(new TopicPartition("collect-times", 0), 2);
    RecordAt fourth = new RecordAt(new TopicPartition("collect-times", 0), 4);
    // offset 1 of partition 1 was deleted: the oldest record there is at 3
    RecordAt deleted = new RecordAt(new TopicPartition("collect-times", 1), 1);
    Map<RecordAt, Long> times;
    try (KafkaAdminPool readers = new KafkaAdminPool(Duration.ofSeconds(5))) {
      readers.acquire("reader", KafkaConnection.plaintext(broker.bootstrapServers()));
      times =
          collector.recordTimes(readers.recordReader("reader"), Set.of(second, fourth, deleted));
    }

    assertThat(times)
        .containsEntry(second, hourAgo + 2000)
        .containsEntry(fourth, hourAgo + 4000)
        .containsEntry(deleted, hourAgo + 6000);
  }

  @Test
  void namesGroupsThatDoNotExist() {
    LagSnapshot snapshot =
        collector.collect(admin(), GroupSelector.ofGroups("collect-no-such-group"));

    assertThat(snapshot.groups()).isEmpty();
    assertThat(snapshot.missingGroups()).containsExactly("collect-no-such-group");
  }

  @Test
  void anUnreachableClusterFailsWithinTheTimeoutWithAReadableReason() {
    KafkaLagCollector quick = new KafkaLagCollector(Clock.systemUTC(), Duration.ofMillis(1500));
    try (KafkaAdminPool unreachable = new KafkaAdminPool(Duration.ofSeconds(1))) {
      Admin admin =
          unreachable.acquire("t", KafkaConnection.plaintext("127.0.0.1:" + FreePort.pick()));

      assertThatThrownBy(() -> quick.collect(admin, GroupSelector.ofGroups("g")))
          .isInstanceOf(KafkaUnavailableException.class)
          .hasMessageContaining("no answer");
    }
  }

  @Test
  void resourcesOnTheSameClusterShareOneAdminClient() {
    try (KafkaAdminPool shared = new KafkaAdminPool(Duration.ofSeconds(5))) {
      KafkaConnection connection = KafkaConnection.plaintext(broker.bootstrapServers());
      Admin first = shared.acquire("policy/a", connection);
      Admin second = shared.acquire("monitor/b", connection);

      assertThat(second).isSameAs(first);
      assertThat(shared.openClients()).isEqualTo(1);

      shared.release("policy/a");
      assertThat(shared.openClients()).isEqualTo(1);
      shared.release("monitor/b");
      assertThat(shared.openClients()).isZero();
    }
  }
}
