package io.groupwarden.operator.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
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
    kafka.commit(
        "collect-billing",
        Map.of(
            new TopicPartition("collect-orders", 0), 10L,
            new TopicPartition("collect-orders", 1), 4L));

    LagSnapshot snapshot = collector.collect(admin(), GroupSelector.ofGroups("collect-billing"));

    assertThat(snapshot.time()).isEqualTo(NOW);
    assertThat(snapshot.missingGroups()).isEmpty();
    GroupSample group = snapshot.groups().get(0);
    assertThat(group.groupId()).isEqualTo("collect-billing");
    assertThat(group.state()).isEqualTo("Empty");
    assertThat(group.members()).isEmpty();
    assertThat(group.partitions())
        .containsExactlyInAnyOrder(
            new PartitionSample("collect-orders", 0, -1, 10, 10L),
            new PartitionSample("collect-orders", 1, -1, 10, 4L),
            // no committed offset: the log start is read so lag can be measured from it
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
    kafka.commit("collect-pattern-2", Map.of(new TopicPartition("collect-pa", 0), 3L));
    kafka.commit("collect-other", Map.of(new TopicPartition("collect-pa", 0), 3L));

    GroupSelector selector =
        new GroupSelector(List.of(), Pattern.compile("collect-pattern-.*"), Set.of("collect-pa"));
    LagSnapshot snapshot = collector.collect(admin(), selector);

    assertThat(snapshot.groups())
        .extracting(GroupSample::groupId)
        .containsExactly("collect-pattern-1", "collect-pattern-2");
    assertThat(snapshot.groups().get(0).partitions())
        .containsExactly(new PartitionSample("collect-pa", 0, -1, 3, 1L));
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
