package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.GroupMemberThread;
import io.groupwarden.coordinator.support.OwnershipLog;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rolling upgrade of a classic group to the consumer protocol and back, as operators do it: one
 * member at a time is stopped and started again with the other {@code group.protocol}, while a
 * producer keeps writing. Real kafka-clients consumers; each counts a record only once its commit
 * succeeded, so a record counted twice was consumed again after its offset was committed.
 */
class RollingUpgradeTest {
  static final int PARTITIONS = 6;
  static RunningCoordinator broker;
  static Admin admin;

  @BeforeAll
  static void start() {
    broker =
        RunningCoordinator.start(
            Map.of(
                "group-consumer-session-timeout", "6s",
                "group-consumer-heartbeat-interval", "300ms"));
    admin = Clients.admin(broker.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  /** Writes numbered records until stopped; counts what the broker acknowledged. */
  static final class Production implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;

    Production(String topic) {
      thread =
          new Thread(
              () -> {
                try (KafkaProducer<String, String> producer =
                    Clients.producer(broker.bootstrapServers(), Map.of("acks", "all"))) {
                  long i = 0;
                  while (running.get()) {
                    for (int n = 0; n < 50; n++, i++) {
                      producer.send(
                          new ProducerRecord<>(topic, Long.toString(i), "record-" + i),
                          (metadata, error) ->
                              (error == null ? acknowledged : failed).incrementAndGet());
                    }
                    producer.flush();
                    Thread.sleep(20);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "production");
      thread.setDaemon(true);
      thread.start();
    }

    long acknowledged() {
      return acknowledged.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }
  }

  static KafkaConsumer<String, String> classicConsumer(String group, String strategy) {
    return Clients.consumer(
        broker.bootstrapServers(),
        group,
        Map.of(
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, strategy,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
  }

  static KafkaConsumer<String, String> upgradedConsumer(String group) {
    return Clients.consumer(
        broker.bootstrapServers(),
        group,
        Map.of(
            ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            "consumer",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            500));
  }

  /** The group's description; the admin client's error itself (not wrapped) when it fails. */
  static ConsumerGroupDescription describe(String group) throws Exception {
    try {
      return Clients.describeGroup(admin, group);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The group is Stable with these members, each owning a share of the partitions. */
  static void awaitSettled(String group, List<GroupMemberThread> members, GroupType type) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        // The admin client asks ConsumerGroupDescribe, then DescribeGroups if the group is not a
        // consumer group: a group not yet joined, or converted between the two after the first
        // answer, is found by neither.
        .ignoreException(org.apache.kafka.common.errors.GroupIdNotFoundException.class)
        .until(
            () -> {
              ConsumerGroupDescription description = describe(group);
              int owned = 0;
              for (GroupMemberThread member : members) {
                if (member.owned().isEmpty()) {
                  return false;
                }
                owned += member.owned().size();
              }
              return description.type() == type
                  && description.groupState() == GroupState.STABLE
                  && description.members().size() == members.size()
                  && owned == PARTITIONS;
            });
  }

  static Map<Boolean, Long> membersByProtocol(String group) throws Exception {
    Map<Boolean, Long> byUpgraded = new HashMap<>();
    for (MemberDescription member : describe(group).members()) {
      byUpgraded.merge(member.upgraded().orElse(false), 1L, Long::sum);
    }
    return byUpgraded;
  }

  @ParameterizedTest(name = "classic members assigning with {0}")
  @ValueSource(classes = {RangeAssignor.class, CooperativeStickyAssignor.class})
  void aClassicGroupIsUpgradedOneMemberAtATimeAndDowngradedAgainLosingNothing(Class<?> strategy)
      throws Exception {
    String topic = "rolling-" + strategy.getSimpleName();
    String group = "rolling-group-" + strategy.getSimpleName();
    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    OwnershipLog ownership = new OwnershipLog();
    List<GroupMemberThread> everyone = new ArrayList<>();
    List<GroupMemberThread> running = new ArrayList<>();
    try (Production production = new Production(topic)) {
      for (int i = 1; i <= 3; i++) {
        GroupMemberThread member =
            new GroupMemberThread(
                classicConsumer(group, strategy.getName()), topic, "classic-" + i, ownership);
        everyone.add(member);
        running.add(member);
      }
      awaitSettled(group, running, GroupType.CLASSIC);

      // Upgrade: each classic member in turn is replaced by a consumer-protocol member.
      for (int i = 0; i < 3; i++) {
        running.remove(0).close();
        GroupMemberThread upgraded =
            new GroupMemberThread(upgradedConsumer(group), topic, "upgraded-" + (i + 1), ownership);
        everyone.add(upgraded);
        running.add(upgraded);
        awaitSettled(group, running, GroupType.CONSUMER);
        Map<Boolean, Long> expected = new HashMap<>(Map.of(true, (long) i + 1));
        if (i < 2) {
          expected.put(false, (long) 2 - i);
        }
        assertThat(membersByProtocol(group)).isEqualTo(expected);
      }
      assertThat(describe(group).partitionAssignor()).isEqualTo("uniform");

      // Downgrade: and back, one member at a time; the last consumer-protocol member leaving
      // turns the group into a classic group again.
      for (int i = 0; i < 3; i++) {
        running.remove(0).close();
        GroupMemberThread downgraded =
            new GroupMemberThread(
                classicConsumer(group, strategy.getName()),
                topic,
                "downgraded-" + (i + 1),
                ownership);
        everyone.add(downgraded);
        running.add(downgraded);
        awaitSettled(group, running, i < 2 ? GroupType.CONSUMER : GroupType.CLASSIC);
      }
      assertThat(describe(group).type()).isEqualTo(GroupType.CLASSIC);
    }

    long produced = endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> consumed(everyone).size() >= produced);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "not everything was consumed: "
              + missing(topic, consumed(everyone))
              + " committed "
              + admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
              + " members "
              + running.stream().map(m -> m.owned() + " " + m.failure()).toList(),
          e);
    }
    List<String> consumed = consumed(everyone);
    assertThat(consumed).hasSize((int) produced).doesNotHaveDuplicates();
    assertThat(produced).isGreaterThan(1_000);
    for (GroupMemberThread member : everyone) {
      assertThat(member.failure()).as(member.toString()).isNull();
    }
    running.forEach(GroupMemberThread::close);
    assertThat(ownership.overlaps()).isEmpty();
  }

  /** The end offset of each partition of {@code topic}, by partition, from one request. */
  static Map<Integer, Long> endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> ends = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
    return ends;
  }

  /** For each partition, its end offset, how many offsets were consumed, and the first missing. */
  static String missing(String topic, List<String> consumed) throws Exception {
    StringBuilder out = new StringBuilder();
    Map<Integer, Long> ends = endOffsets(topic);
    for (int p = 0; p < PARTITIONS; p++) {
      long end = ends.get(p);
      java.util.Set<Long> seen = new java.util.TreeSet<>();
      String prefix = p + ":";
      consumed.stream()
          .filter(c -> c.startsWith(prefix))
          .forEach(c -> seen.add(Long.parseLong(c.substring(prefix.length()))));
      long firstMissing = -1;
      for (long o = 0; o < end; o++) {
        if (!seen.contains(o)) {
          firstMissing = o;
          break;
        }
      }
      out.append(
          String.format(
              "[p%d end=%d seen=%d firstMissing=%d] ", p, end, seen.size(), firstMissing));
    }
    return out.toString();
  }

  static List<String> consumed(List<GroupMemberThread> members) {
    List<String> all = new ArrayList<>();
    members.forEach(m -> all.addAll(m.consumed()));
    return all;
  }
}
