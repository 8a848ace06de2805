package io.groupwarden.operator.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.lag.SharedLagReads.LagRequest;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lag reads shared by the resources of one cluster, against a real broker: concurrent requests are
 * served by a few collections and each gets exactly what a collection of its own would have read.
 */
class SharedLagReadsTest {
  private static final int GROUPS = 40;
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private static KafkaBroker broker;
  private static KafkaTestClients kafka;
  private static KafkaAdminPool pool;
  private static KafkaConnection connection;

  private final KafkaLagCollector collector =
      new KafkaLagCollector(Clock.systemUTC(), Duration.ofSeconds(10));
  private final SharedLagReads reads =
      new SharedLagReads(collector, Clock.systemUTC(), Duration.ofSeconds(10));

  @BeforeAll
  static void groups() {
    broker = KafkaBroker.shared();
    kafka = new KafkaTestClients(broker.bootstrapServers());
    pool = new KafkaAdminPool(Duration.ofSeconds(5));
    connection = KafkaConnection.plaintext(broker.bootstrapServers());
    kafka.createTopic("shared-a", 2);
    kafka.createTopic("shared-b", 2);
    kafka.produce("shared-a", 2, 20);
    kafka.produce("shared-b", 2, 30);
    for (int g = 0; g < GROUPS; g++) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      offsets.put(new TopicPartition("shared-a", 0), (long) (g % 20));
      offsets.put(new TopicPartition("shared-a", 1), 3L);
      if (g % 2 == 0) {
        offsets.put(new TopicPartition("shared-b", 1), 7L);
      }
      kafka.commit(group(g), offsets);
    }
  }

  @AfterAll
  static void close() {
    pool.close();
    kafka.close();
  }

  @AfterEach
  void stop() {
    reads.close();
  }

  private static String group(int g) {
    return "shared-g%02d".formatted(g);
  }

  private static Admin admin() {
    return pool.acquire("test", connection);
  }

  private static LagRequest request(GroupSelector selector, Instant notBefore) {
    return new LagRequest(selector, false, notBefore, INTERVAL);
  }

  /**
   * Resources {@code first} to {@code last}, resource r asking for groups 2r and 2r+1, all released
   * at once, each accepting data from {@code notBefore} on as it asks; checks that each got exactly
   * its groups.
   */
  private void readAtOnce(int first, int last, Supplier<Instant> notBefore) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(last - first + 1);
    try {
      List<Future<LagSnapshot>> answers = new ArrayList<>();
      for (int r = first; r <= last; r++) {
        GroupSelector selector = GroupSelector.ofGroups(group(2 * r), group(2 * r + 1));
        answers.add(
            threads.submit(
                () -> {
                  start.await();
                  return reads.read(connection, admin(), request(selector, notBefore.get()));
                }));
      }
      start.countDown();
      for (int r = first; r <= last; r++) {
        assertThat(answers.get(r - first).get().groups())
            .extracting(GroupSample::groupId)
            .containsExactly(group(2 * r), group(2 * r + 1));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void concurrentRequestsOfManyResourcesAreServedByAFewCollections() throws Exception {
    readAtOnce(0, GROUPS / 2 - 1, Instant::now);

    // the first collection serves whoever had asked when it began; everyone else waits for the
    // second, which covers all of them
    assertThat(reads.collections()).isBetween(1L, 2L);
  }

  @Test
  void eachResourceGetsWhatItsOwnCollectionWouldHaveRead() {
    GroupSelector explicit =
        new GroupSelector(List.of(group(3), "shared-none", group(2)), null, Set.of("shared-b"));
    GroupSelector pattern = new GroupSelector(List.of(), Pattern.compile("shared-g1[0-4]"), null);
    Instant now = Instant.now();
    reads.read(connection, admin(), request(pattern, now)); // both now in the shared collection

    LagSnapshot shared = reads.read(connection, admin(), request(explicit, Instant.now()));
    LagSnapshot sharedPattern = reads.read(connection, admin(), request(pattern, now));
    LagSnapshot own = collector.collect(admin(), explicit);
    LagSnapshot ownPattern = collector.collect(admin(), pattern);

    assertThat(withoutTime(shared)).isEqualTo(withoutTime(own));
    assertThat(shared.missingGroups()).containsExactly("shared-none");
    assertThat(shared.groups().get(1).partitions())
        .extracting(p -> p.topic())
        .containsOnly("shared-b");
    assertThat(withoutTime(sharedPattern)).isEqualTo(withoutTime(ownPattern));
    assertThat(sharedPattern.groups()).hasSize(5);
  }

  @Test
  void aRecentEnoughCollectionIsReusedAndAnOlderOneIsNot() {
    GroupSelector selector = GroupSelector.ofGroups(group(1));
    LagSnapshot first = reads.read(connection, admin(), request(selector, Instant.now()));
    long collections = reads.collections();

    LagSnapshot again = reads.read(connection, admin(), request(selector, first.time()));
    assertThat(again.time()).isEqualTo(first.time());
    assertThat(reads.collections()).isEqualTo(collections);

    LagSnapshot fresher =
        reads.read(connection, admin(), request(selector, first.time().plusMillis(1)));
    assertThat(fresher.time()).isAfter(first.time());
    assertThat(reads.collections()).isEqualTo(collections + 1);
  }

  @Test
  void groupsTheLastCollectionDidNotCoverAreReadAtOnceByAFirstReadOfThemAlone() {
    try (CountingAdmin counting = new CountingAdmin(broker.bootstrapServers())) {
      LagSnapshot first =
          reads.read(
              connection,
              counting,
              request(GroupSelector.ofGroups(group(4), group(8)), Instant.now()));
      long collections = reads.collections();
      int calls = counting.describeCalls.size();

      LagSnapshot other =
          reads.read(
              connection,
              counting,
              request(GroupSelector.ofGroups(group(5), group(4)), first.time()));

      assertThat(other.groups())
          .extracting(GroupSample::groupId)
          .containsExactly(group(5), group(4));
      assertThat(reads.collections()).isEqualTo(collections + 1);
      assertThat(reads.firstReads()).isEqualTo(1);
      // the first read asked for the request's groups only, not for every group of the cluster
      assertThat(counting.describeCalls.subList(calls, counting.describeCalls.size()))
          .containsExactly(2);

      // the first read serves its groups again until a collection covers them
      LagSnapshot again =
          reads.read(connection, counting, request(GroupSelector.ofGroups(group(5)), first.time()));
      assertThat(again.time()).isEqualTo(other.time());
      assertThat(reads.collections()).isEqualTo(collections + 1);

      // the next collection of the cluster reads the new group with the others
      LagSnapshot next =
          reads.read(
              connection,
              counting,
              request(GroupSelector.ofGroups(group(8)), other.time().plusMillis(1)));
      assertThat(next.groups()).extracting(GroupSample::groupId).containsExactly(group(8));
      assertThat(reads.firstReads()).isEqualTo(1);
      assertThat(counting.describeCalls.get(counting.describeCalls.size() - 1)).isEqualTo(3);
    }
  }

  @Test
  void manyNewResourcesAtOnceShareTheirFirstReads() throws Exception {
    LagSnapshot first =
        reads.read(connection, admin(), request(GroupSelector.ofGroups(group(0)), Instant.now()));
    readAtOnce(1, 15, first::time);
    // the first read under way serves who had asked when it began, the one after it the rest
    assertThat(reads.firstReads()).isBetween(1L, 2L);
    assertThat(reads.collections()).isEqualTo(1 + reads.firstReads());
  }

  @Test
  void anUnreachableClusterAnswersEveryoneWaitingWithOneFailedCollection() throws Exception {
    KafkaLagCollector quick = new KafkaLagCollector(Clock.systemUTC(), Duration.ofMillis(1500));
    try (SharedLagReads unreachable =
            new SharedLagReads(quick, Clock.systemUTC(), Duration.ofMillis(1500));
        KafkaAdminPool nowhere = new KafkaAdminPool(Duration.ofSeconds(1))) {
      KafkaConnection gone = KafkaConnection.plaintext("127.0.0.1:" + FreePort.pick());
      Admin admin = nowhere.acquire("t", gone);
      ExecutorService threads = Executors.newFixedThreadPool(5);
      try {
        List<Future<?>> answers = new ArrayList<>();
        Instant now = Instant.now();
        for (int r = 0; r < 5; r++) {
          GroupSelector selector = GroupSelector.ofGroups("g" + r);
          answers.add(threads.submit(() -> unreachable.read(gone, admin, request(selector, now))));
        }
        for (Future<?> answer : answers) {
          assertThatThrownBy(answer::get)
              .hasCauseInstanceOf(KafkaUnavailableException.class)
              .hasMessageContaining("no answer");
        }
      } finally {
        threads.shutdownNow();
      }
      assertThat(unreachable.collections()).isBetween(1L, 2L);
    }
  }

  private static List<GroupSample> withoutTime(LagSnapshot snapshot) {
    return snapshot.groups().stream()
        .map(
            g ->
                new GroupSample(
                    g.groupId(),
                    Instant.EPOCH,
                    g.state(),
                    g.assignor(),
                    g.epoch(),
                    g.members(),
                    g.partitions()))
        .toList();
  }
}
