package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.coordinator.support.GroupMemberThread;
import io.groupwarden.coordinator.support.MembershipChurn;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real Kafka consumers in groups coordinated by the broker. */
class ConsumerGroupTest {
  @RegisterExtension
  static final CoordinatorPerClass broker =
      new CoordinatorPerClass(Map.of("group-min-session-timeout", "1s"));

  static final int SESSION_TIMEOUT_MS = 3000;

  static KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.putAll(extra);
    return Clients.consumer(broker.bootstrapServers(), group, props);
  }

  @Test
  void everyRecordIsConsumedExactlyOnceWhileMembersLeaveCrashAndJoin() throws Exception {
    String topic = "exactly-once";
    String group = "exactly-once-group";
    broker.createTopic(topic, 6);
    new MembershipChurn(broker.bootstrapServers(), group, topic, SESSION_TIMEOUT_MS, "classic")
        .run(name -> new GroupMemberThread(consumer(group, Map.of()), topic, name), child -> {});
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        org.apache.kafka.clients.consumer.RangeAssignor.class,
        org.apache.kafka.clients.consumer.RoundRobinAssignor.class,
        org.apache.kafka.clients.consumer.StickyAssignor.class
      })
  void theClientSideAssignorsWorkUnchanged(Class<?> assignor) throws Exception {
    String topic = "assignor-" + assignor.getSimpleName();
    String group = topic + "-group";
    broker.createTopic(topic, 6);
    Map<String, Object> props =
        Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName());
    try (GroupMemberThread first = new GroupMemberThread(consumer(group, props), topic, "a-1");
        GroupMemberThread second = new GroupMemberThread(consumer(group, props), topic, "a-2")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.owned().size() == 3 && second.owned().size() == 3);
      Set<TopicPartition> all = new HashSet<>(first.owned());
      all.addAll(second.owned());
      assertThat(all).hasSize(6);
      String expected =
          ((org.apache.kafka.clients.consumer.ConsumerPartitionAssignor)
                  assignor.getDeclaredConstructor().newInstance())
              .name();
      assertThat(Clients.describeGroup(broker.admin(), group).partitionAssignor())
          .isEqualTo(expected);
    }
  }

  @Test
  void cooperativeStickyRevokesOnlyThePartitionsThatMove() throws Exception {
    String topic = "cooperative";
    String group = "cooperative-group";
    broker.createTopic(topic, 6);
    Map<String, Object> cooperative =
        Map.of(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName());
    try (GroupMemberThread first =
            new GroupMemberThread(consumer(group, cooperative), topic, "coop-1");
        GroupMemberThread second =
            new GroupMemberThread(consumer(group, cooperative), topic, "coop-2")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.owned().size() == 3 && second.owned().size() == 3);
      Set<TopicPartition> firstBefore = first.owned();
      Set<TopicPartition> secondBefore = second.owned();
      int firstRevocationsBefore = first.revocations().size();
      int secondRevocationsBefore = second.revocations().size();

      try (GroupMemberThread third =
          new GroupMemberThread(consumer(group, cooperative), topic, "coop-3")) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    third.owned().size() == 2
                        && first.owned().size() == 2
                        && second.owned().size() == 2);

        Set<TopicPartition> revoked = new HashSet<>();
        List<Set<TopicPartition>> firstRevocations =
            first.revocations().subList(firstRevocationsBefore, first.revocations().size());
        List<Set<TopicPartition>> secondRevocations =
            second.revocations().subList(secondRevocationsBefore, second.revocations().size());
        firstRevocations.forEach(revoked::addAll);
        secondRevocations.forEach(revoked::addAll);
        assertThat(firstRevocations.size() + secondRevocations.size()).isPositive();
        // Only what moved to the new member was revoked; everything else stayed put.
        assertThat(revoked).isEqualTo(third.owned());
        assertThat(firstBefore).containsAll(first.owned());
        assertThat(secondBefore).containsAll(second.owned());
      }
    }
  }

  @Test
  void aStaticMemberThatRestartsWithinItsSessionGetsItsAssignmentBackWithoutARebalance()
      throws Exception {
    String topic = "static-members";
    String group = "static-group";
    broker.createTopic(topic, 4);
    Map<String, Object> sessionLongerThanRestart =
        Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000);
    GroupMemberThread other =
        new GroupMemberThread(
            consumer(group, withInstance("static-b", sessionLongerThanRestart)), topic, "static-b");
    GroupMemberThread restarting =
        new GroupMemberThread(
            consumer(group, withInstance("static-a", sessionLongerThanRestart)), topic, "static-a");
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> other.owned().size() == 2 && restarting.owned().size() == 2);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> restarting.generation() == other.generation());
      int generation = other.generation();
      Set<TopicPartition> assignment = restarting.owned();
      int otherAssignments = other.assignments().size();

      restarting.close(); // a static member's close does not leave the group
      GroupMemberThread restarted =
          new GroupMemberThread(
              consumer(group, withInstance("static-a", sessionLongerThanRestart)),
              topic,
              "static-a-again");
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> !restarted.owned().isEmpty());
        assertThat(restarted.owned()).isEqualTo(assignment);
        assertThat(restarted.generation()).isEqualTo(generation);
        assertThat(other.generation()).isEqualTo(generation);
        assertThat(other.assignments()).hasSize(otherAssignments);
      } finally {
        restarted.close();
      }
    } finally {
      other.close();
    }
  }

  @Test
  void aDuplicateStaticInstanceIsFenced() throws Exception {
    String topic = "fencing";
    String group = "fencing-group";
    broker.createTopic(topic, 2);
    Map<String, Object> props = withInstance("same-instance", Map.of());
    try (KafkaConsumer<String, String> original = consumer(group, props);
        KafkaConsumer<String, String> duplicate = consumer(group, props)) {
      original.subscribe(List.of(topic));
      Clients.pollUntilAssigned(original, 1);
      duplicate.subscribe(List.of(topic));
      Clients.pollUntilAssigned(duplicate, 1);
      Throwable fenced = null;
      long deadline = System.currentTimeMillis() + 30_000;
      while (fenced == null && System.currentTimeMillis() < deadline) {
        try {
          original.poll(Duration.ofMillis(200));
        } catch (FencedInstanceIdException e) {
          fenced = e;
        }
      }
      assertThat(fenced).isInstanceOf(FencedInstanceIdException.class);
    }
  }

  private static Map<String, Object> withInstance(String instanceId, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    return props;
  }
}
