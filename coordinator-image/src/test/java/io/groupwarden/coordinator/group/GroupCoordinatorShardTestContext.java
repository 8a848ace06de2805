package io.groupwarden.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.group.consumer.ConsumerGroup;
import io.groupwarden.coordinator.group.consumer.ConsumerGroupMember;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData.TopicPartitions;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/**
 * A shard driven the way its runtime drives it, with a manual clock: results are "persisted" (kept
 * in {@link #persisted}), replayed, then their follow-up runs. Built with {@link #builder()}.
 */
final class GroupCoordinatorShardTestContext {
  final ManualTimer time;
  final GroupCoordinatorShard shard;
  final GroupConfig config;
  final List<GroupRecord> persisted = new ArrayList<>();

  final TopicMetadata topics;

  private GroupCoordinatorShardTestContext(
      GroupConfig config, ManualTimer time, TopicMetadata topics, GroupMetrics metrics) {
    this.config = config;
    this.time = time;
    this.topics = topics;
    this.shard = new GroupCoordinatorShard(config, time, time, metrics, topics);
  }

  /** What a consumer-protocol heartbeat reports it owns of one topic. */
  static List<TopicPartitions> topicPartitions(Uuid topicId, Set<Integer> partitions) {
    return partitions.isEmpty()
        ? new ArrayList<>()
        : new ArrayList<>(
            List.of(
                new TopicPartitions()
                    .setTopicId(topicId)
                    .setPartitions(new ArrayList<>(partitions))));
  }

  /** The partitions a consumer-protocol heartbeat response assigns (of every topic). */
  static Set<Integer> assignedPartitions(ConsumerGroupHeartbeatResponseData response) {
    Set<Integer> result = new TreeSet<>();
    if (response.assignment() != null) {
      response.assignment().topicPartitions().forEach(t -> result.addAll(t.partitions()));
    }
    return result;
  }

  /** No partition is owned (assigned or still being revoked) by two members of the group. */
  static void assertSingleOwners(ConsumerGroup group) {
    Map<Integer, String> owners = new HashMap<>();
    for (ConsumerGroupMember m : group.members()) {
      m.reconciliation()
          .owned()
          .partitions()
          .values()
          .forEach(
              set ->
                  set.forEach(
                      p -> assertThat(owners.put(p, m.memberId())).as("partition %d", p).isNull()));
    }
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder {
    private final GroupConfig.Builder config = GroupConfig.builder();
    private ManualTimer time = new ManualTimer();
    private TopicMetadata topics = new FakeTopics();
    private GroupMetrics metrics = GroupMetrics.NONE;

    /** What the shard reports its rebalances, heartbeats and commits to. */
    Builder metrics(GroupMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** The broker's topics, for consumer groups. */
    Builder topics(TopicMetadata topics) {
      this.topics = topics;
      return this;
    }

    Builder config(java.util.function.Consumer<GroupConfig.Builder> change) {
      change.accept(config);
      return this;
    }

    /** Shares a clock with another context (a shard rebuilt from the first one's records). */
    Builder time(ManualTimer time) {
      this.time = time;
      return this;
    }

    GroupCoordinatorShardTestContext build() {
      return new GroupCoordinatorShardTestContext(config.build(), time, topics, metrics);
    }
  }

  /** Plays the runtime's part: persists records, then replays them and runs the follow-up. */
  <T> T apply(CoordinatorResult<T> result) {
    persisted.addAll(result.records());
    result.records().forEach(shard::replay);
    result.afterPersist().run();
    return result.response();
  }

  void advance(long ms) {
    time.advance(ms).forEach(this::apply);
  }

  /** A new shard over the same clock that loaded everything this one persisted. */
  GroupCoordinatorShardTestContext replayed() {
    GroupCoordinatorShardTestContext rebuilt =
        new GroupCoordinatorShardTestContext(
            config, new ManualTimer(time.getAsLong()), topics, GroupMetrics.NONE);
    rebuilt.shard.startLoading();
    persisted.forEach(rebuilt.shard::replay);
    rebuilt.shard.finishLoading();
    rebuilt.persisted.addAll(persisted);
    return rebuilt;
  }
}
