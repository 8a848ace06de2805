package io.groupwarden.operator.lag;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group calls split into chunks, against a real broker: more groups than one chunk holds are all
 * read, in order, exactly as one call of every group reads them, with no call over the chunk size
 * and no more than {@link KafkaLagCollector#CALLS_IN_FLIGHT} calls under way at once.
 */
class ChunkedGroupCallsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");
  private static final int GROUPS = 23;
  private static final int CHUNK = 4;

  private static KafkaBroker broker;
  private static KafkaTestClients kafka;

  @BeforeAll
  static void groups() {
    broker = KafkaBroker.shared();
    kafka = new KafkaTestClients(broker.bootstrapServers());
    kafka.createTopic("chunked-a", 3);
    kafka.produce("chunked-a", 3, 10);
    for (int g = 0; g < GROUPS; g++) {
      kafka.commit(
          group(g),
          Map.of(
              new TopicPartition("chunked-a", 0),
              (long) g,
              new TopicPartition("chunked-a", 2),
              1L));
    }
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  private static String group(int g) {
    return "chunked-g%02d".formatted(g);
  }

  private static List<String> groupsWithAMissingOne() {
    List<String> ids = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      ids.add(group(g));
      if (g == 9) {
        ids.add("chunked-none"); // never committed: named as missing, in its place
      }
    }
    return ids;
  }

  @Test
  void moreGroupsThanOneChunkAreAllReadAsOneCallReadsThem() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    List<String> ids = groupsWithAMissingOne();
    try (CountingAdmin admin = new CountingAdmin(broker.bootstrapServers())) {
      LagSnapshot chunked =
          new KafkaLagCollector(clock, Duration.ofSeconds(10), CHUNK)
              .collect(admin, new GroupSelector(ids, null, Set.of()));
      int describeCalls = admin.describeCalls.size();
      int offsetCalls = admin.offsetCalls.size();
      LagSnapshot whole =
          new KafkaLagCollector(clock, Duration.ofSeconds(10), 1_000)
              .collect(admin, new GroupSelector(ids, null, Set.of()));

      assertThat(chunked.groups())
          .extracting(GroupSample::groupId)
          .containsExactlyElementsOf(
              ids.stream().filter(id -> !id.equals("chunked-none")).toList());
      assertThat(chunked.missingGroups()).containsExactly("chunked-none");
      assertThat(chunked).isEqualTo(whole);
      GroupSample g17 = chunked.groups().get(17);
      assertThat(g17.partitions())
          .containsExactly(
              new PartitionSample("chunked-a", 0, 0, 10, 17L),
              new PartitionSample("chunked-a", 1, 0, 10, null),
              new PartitionSample("chunked-a", 2, 0, 10, 1L));

      // 24 groups in chunks of 4 for describing; the 23 that exist for their offsets
      assertThat(admin.describeCalls.subList(0, describeCalls)).containsExactly(4, 4, 4, 4, 4, 4);
      assertThat(admin.offsetCalls.subList(0, offsetCalls)).containsExactly(4, 4, 4, 4, 4, 3);
      assertThat(admin.mostUnderWay.get())
          .isGreaterThan(1)
          .isLessThanOrEqualTo(KafkaLagCollector.CALLS_IN_FLIGHT);
      // the collector with one chunk for all made one call of each
      assertThat(admin.describeCalls.subList(describeCalls, admin.describeCalls.size()))
          .containsExactly(24);
      assertThat(admin.offsetCalls.subList(offsetCalls, admin.offsetCalls.size()))
          .containsExactly(23);
    }
  }

  @Test
  void groupsSelectedByPatternAreChunkedToo() {
    try (CountingAdmin admin = new CountingAdmin(broker.bootstrapServers())) {
      LagSnapshot snapshot =
          new KafkaLagCollector(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10), CHUNK)
              .collect(admin, new GroupSelector(List.of(), Pattern.compile("chunked-g.*"), null));

      assertThat(snapshot.groups()).hasSize(GROUPS);
      assertThat(snapshot.groups().get(GROUPS - 1).partitions().get(0).committedOffset())
          .isEqualTo(GROUPS - 1L);
      assertThat(admin.describeCalls).hasSize(6).allMatch(groups -> groups <= CHUNK);
    }
  }
}
