package io.groupwarden.coordinator.group;

import static io.groupwarden.coordinator.group.GroupCoordinatorShardTestContext.assertSingleOwners;
import static io.groupwarden.coordinator.group.GroupCoordinatorShardTestContext.assignedPartitions;
import static io.groupwarden.coordinator.group.GroupCoordinatorShardTestContext.topicPartitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.group.consumer.ConsumerGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer group protocol (KIP-848) on one shard, with a manual clock: no sleeps. */
class ConsumerGroupProtocolTest {
  static final int SESSION = 45_000;
  static final int REBALANCE = 30_000;
  static final short V1 = 1;

  FakeTopics topics;
  GroupCoordinatorShardTestContext context;
  TopicMetadata.Topic orders;

  @BeforeEach
  void setUp() {
    topics = new FakeTopics();
    orders = topics.create("orders", 4);
    context =
        GroupCoordinatorShardTestContext.builder()
            .topics(topics)
            .config(c -> c.consumerSessionTimeoutMs(SESSION).consumerHeartbeatIntervalMs(1_000))
            .build();
  }

  ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request) {
    return context.apply(
        context.shard.consumerGroupHeartbeat(new Client("client", "/127.0.0.1", V1), request));
  }

  static ConsumerGroupHeartbeatRequestData joinRequest(String memberId, String... topicNames) {
    return new ConsumerGroupHeartbeatRequestData()
        .setGroupId("g")
        .setMemberId(memberId)
        .setMemberEpoch(0)
        .setRebalanceTimeoutMs(REBALANCE)
        .setSubscribedTopicNames(List.of(topicNames))
        .setTopicPartitions(List.of());
  }

  ConsumerGroupHeartbeatResponseData join(String memberId) {
    return heartbeat(joinRequest(memberId, "orders"));
  }

  /** A heartbeat that reports what the member owns now. */
  ConsumerGroupHeartbeatResponseData beat(String memberId, int epoch, Set<Integer> owned) {
    return heartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setGroupId("g")
            .setMemberId(memberId)
            .setMemberEpoch(epoch)
            .setTopicPartitions(topicPartitions(orders.id(), owned)));
  }

  DescribedGroup describe() {
    return context.shard.consumerGroupDescribe("g");
  }

  Group groupOf(String groupId) {
    return context.shard.groupForTest(groupId);
  }

  @Test
  void aJoiningMemberGetsTheFirstEpochAndEveryPartition() {
    ConsumerGroupHeartbeatResponseData response = join("a");

    assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
    assertThat(response.memberEpoch()).isEqualTo(1);
    assertThat(response.heartbeatIntervalMs()).isEqualTo(1_000);
    assertThat(assignedPartitions(response)).containsExactly(0, 1, 2, 3);
    assertThat(describe().groupState()).isEqualTo("Stable");
    assertThat(describe().assignorName()).isEqualTo("uniform");
  }

  @Test
  void partitionsAreRevokedBeforeAnotherMemberGetsThem() {
    join("a");
    ConsumerGroupHeartbeatResponseData b = join("b");
    // B is at the new epoch but gets nothing A still owns.
    assertThat(b.memberEpoch()).isEqualTo(2);
    assertThat(assignedPartitions(b)).isEmpty();
    assertSingleOwners((ConsumerGroup) groupOf("g"));

    // A is told to give up two partitions; it keeps its epoch until it has.
    ConsumerGroupHeartbeatResponseData a = beat("a", 1, Set.of(0, 1, 2, 3));
    assertThat(a.memberEpoch()).isEqualTo(1);
    Set<Integer> kept = assignedPartitions(a);
    assertThat(kept).hasSize(2);
    assertThat(assignedPartitions(beat("b", 2, Set.of()))).isEmpty();
    assertSingleOwners((ConsumerGroup) groupOf("g"));
    assertThat(describe().groupState()).isEqualTo("Reconciling");

    // A reports the revocation: it moves to epoch 2, and B then gets the other two.
    a = beat("a", 1, kept);
    assertThat(a.memberEpoch()).isEqualTo(2);
    ConsumerGroupHeartbeatResponseData b2 = beat("b", 2, Set.of());
    assertThat(assignedPartitions(b2)).hasSize(2).doesNotContainAnyElementsOf(kept);
    assertSingleOwners((ConsumerGroup) groupOf("g"));
    beat("b", 2, assignedPartitions(b2));
    assertThat(describe().groupState()).isEqualTo("Stable");
  }

  /** Counts what the shard reports about rebalances. */
  static final class RebalanceCounts implements GroupMetrics {
    int epochBumps;
    final List<Long> reconciledAfterMs = new ArrayList<>();

    @Override
    public void groupEpochBumped() {
      epochBumps++;
    }

    @Override
    public void consumerGroupReconciled(long durationMs) {
      reconciledAfterMs.add(durationMs);
    }
  }

  @Test
  void everyGroupEpochBumpCountsOneRebalanceAndItsReconciliationTimeIsReported() {
    RebalanceCounts counts = new RebalanceCounts();
    context =
        GroupCoordinatorShardTestContext.builder()
            .topics(topics)
            .metrics(counts)
            .config(c -> c.consumerSessionTimeoutMs(SESSION).consumerHeartbeatIntervalMs(1_000))
            .build();

    join("a");
    assertThat(counts.epochBumps).isEqualTo(1);
    assertThat(counts.reconciledAfterMs).containsExactly(0L);

    join("b");
    assertThat(counts.epochBumps).isEqualTo(2);
    // Heartbeats that carry the reconciliation along move no epoch: no rebalance counted.
    context.advance(200);
    Set<Integer> kept = assignedPartitions(beat("a", 1, Set.of(0, 1, 2, 3)));
    context.advance(300);
    beat("a", 1, kept);
    ConsumerGroupHeartbeatResponseData b = beat("b", 2, Set.of());
    beat("b", 2, assignedPartitions(b));
    assertThat(describe().groupState()).isEqualTo("Stable");
    assertThat(counts.epochBumps).isEqualTo(2);
    assertThat(counts.reconciledAfterMs).containsExactly(0L, 500L);

    // A member leaving is a rebalance too.
    heartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setGroupId("g")
            .setMemberId("b")
            .setMemberEpoch(-1));
    assertThat(counts.epochBumps).isEqualTo(3);
  }

  @Test
  void aHeartbeatWithAnOldEpochIsFencedAndAnUnknownMemberIsRefused() {
    join("a");
    join("b");
    assertThat(Errors.forCode(beat("a", 7, Set.of()).errorCode()))
        .isEqualTo(Errors.FENCED_MEMBER_EPOCH);
    assertThat(Errors.forCode(beat("nobody", 1, Set.of()).errorCode()))
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aStaticMemberThatLeavesWithMinusTwoGetsItsPartitionsBackWithoutMovingOthers() {
    ConsumerGroupHeartbeatResponseData a =
        heartbeat(joinRequest("a1", "orders").setInstanceId("i-a"));
    ConsumerGroupHeartbeatResponseData b =
        heartbeat(joinRequest("b1", "orders").setInstanceId("i-b"));
    a = beat("a1", a.memberEpoch(), assignedPartitions(a));
    a = beat("a1", a.memberEpoch(), assignedPartitions(a));
    b = beat("b1", b.memberEpoch(), assignedPartitions(b));
    Set<Integer> ofA = assignedPartitions(beat("a1", a.memberEpoch(), assignedPartitions(a)));
    Set<Integer> ofB = assignedPartitions(beat("b1", b.memberEpoch(), assignedPartitions(b)));
    int epoch = describe().groupEpoch();

    ConsumerGroupHeartbeatResponseData left =
        heartbeat(
            new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g")
                .setMemberId("b1")
                .setInstanceId("i-b")
                .setMemberEpoch(-2));
    assertThat(left.memberEpoch()).isEqualTo(-2);
    // Another process with the same instance id while the old one has not left is refused.
    ConsumerGroupHeartbeatResponseData rejoined =
        heartbeat(joinRequest("b2", "orders").setInstanceId("i-b"));

    assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
    assertThat(assignedPartitions(rejoined)).isEqualTo(ofB);
    assertThat(describe().groupEpoch()).isEqualTo(epoch);
    assertThat(assignedPartitions(beat("a1", a.memberEpoch(), ofA))).isEqualTo(ofA);
    assertThat(
            Errors.forCode(heartbeat(joinRequest("b3", "orders").setInstanceId("i-b")).errorCode()))
        .isEqualTo(Errors.UNRELEASED_INSTANCE_ID);
  }

  @Test
  void aMemberThatStopsHeartbeatingIsRemovedAfterTheSessionTimeout() {
    ConsumerGroupHeartbeatResponseData a = join("a");
    join("b");
    context.advance(SESSION / 2);
    beat("a", a.memberEpoch(), assignedPartitions(a));
    context.advance(SESSION / 2 + 1);

    assertThat(describe().members()).extracting(m -> m.memberId()).containsExactly("a");
    assertThat(describe().groupEpoch()).isEqualTo(3);
    assertThat(Errors.forCode(beat("b", 2, Set.of()).errorCode()))
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aMemberThatDoesNotRevokeInTimeIsRemoved() {
    join("a");
    join("b");
    ConsumerGroupHeartbeatResponseData a = beat("a", 1, Set.of(0, 1, 2, 3));
    assertThat(assignedPartitions(a)).hasSize(2);
    context.advance(REBALANCE / 2);
    beat("a", 1, Set.of(0, 1, 2, 3));
    beat("b", 2, Set.of());
    context.advance(REBALANCE / 2 + 1);

    assertThat(describe().members()).extracting(m -> m.memberId()).containsExactly("b");
    // B's next heartbeat gets everything, at the epoch that removed A.
    ConsumerGroupHeartbeatResponseData b = beat("b", 2, Set.of());
    assertThat(b.memberEpoch()).isEqualTo(describe().groupEpoch()).isEqualTo(3);
    assertThat(assignedPartitions(b)).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aRegularExpressionPicksUpATopicCreatedLater() {
    ConsumerGroupHeartbeatResponseData a =
        heartbeat(
            new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g")
                .setMemberId("a")
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(REBALANCE)
                .setSubscribedTopicRegex("ord.*")
                .setTopicPartitions(List.of()));
    assertThat(assignedPartitions(a)).containsExactly(0, 1, 2, 3);
    TopicMetadata.Topic more = topics.create("orders-eu", 2);

    ConsumerGroupHeartbeatResponseData next = beat("a", a.memberEpoch(), Set.of(0, 1, 2, 3));

    assertThat(next.memberEpoch()).isEqualTo(a.memberEpoch() + 1);
    assertThat(next.assignment().topicPartitions())
        .anySatisfy(t -> assertThat(t.topicId()).isEqualTo(more.id()));
  }

  @Test
  void anEmptyRegularExpressionDropsTheMembersRegexAlsoAfterAReplay() {
    ConsumerGroupHeartbeatResponseData a =
        heartbeat(joinRequest("a", "orders").setSubscribedTopicRegex("ord.*"));
    assertThat(describe().members().get(0).subscribedTopicRegex()).isEqualTo("ord.*");

    heartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setGroupId("g")
            .setMemberId("a")
            .setMemberEpoch(a.memberEpoch())
            .setSubscribedTopicRegex("")
            .setTopicPartitions(topicPartitions(orders.id(), assignedPartitions(a))));

    assertThat(describe().members().get(0).subscribedTopicRegex()).isNull();
    assertThat(context.replayed().shard.consumerGroupDescribe("g").members().get(0))
        .satisfies(m -> assertThat(m.subscribedTopicRegex()).isNull())
        .satisfies(m -> assertThat(m.subscribedTopicNames()).containsExactly("orders"));
  }

  @Test
  void anInvalidRegularExpressionOrAnUnknownAssignorIsRefused() {
    assertThat(
            Errors.forCode(heartbeat(joinRequest("a").setSubscribedTopicRegex("ord[")).errorCode()))
        .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
    assertThat(
            Errors.forCode(
                heartbeat(joinRequest("a", "orders").setServerAssignor("sticky")).errorCode()))
        .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
  }

  @Test
  void offsetCommitsAreCheckedAgainstTheMemberEpoch() {
    ConsumerGroupHeartbeatResponseData a = join("a");
    Errors stale = commit("a", a.memberEpoch() - 1);
    Errors current = commit("a", a.memberEpoch());
    Errors stranger = commit("x", a.memberEpoch());

    assertThat(stale).isEqualTo(Errors.STALE_MEMBER_EPOCH);
    assertThat(current).isEqualTo(Errors.NONE);
    assertThat(stranger).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(context.shard.committedOffsets("g")).hasSize(1);
  }

  Errors commit(String memberId, int epoch) {
    return Errors.forCode(
        context
            .apply(
                context.shard.commitOffsets(
                    new Client("client", "/127.0.0.1", (short) 9),
                    OffsetCommits.ofMember("g", memberId, epoch, "orders", 0, 5)))
            .topics()
            .get(0)
            .partitions()
            .get(0)
            .errorCode());
  }

  @Test
  void replayingTheRecordsRebuildsTheGroupItsEpochsAndAssignments() {
    join("a");
    join("b");
    beat("a", 1, Set.of(0, 1, 2, 3));
    DescribedGroup before = describe();

    GroupCoordinatorShardTestContext rebuilt = context.replayed();

    assertThat(rebuilt.shard.consumerGroupDescribe("g")).isEqualTo(before);
  }

  @Test
  void anEmptyClassicGroupWithOffsetsBecomesAConsumerGroupAndKeepsThem() {
    commit("", -1);
    assertThat(groupOf("g").type()).isEqualTo(GroupType.CLASSIC);

    join("a");

    assertThat(groupOf("g").type()).isEqualTo(GroupType.CONSUMER);
    assertThat(context.shard.committedOffsets("g")).hasSize(1);
    assertThat(context.replayed().shard.groupForTest("g").type()).isEqualTo(GroupType.CONSUMER);
    assertThat(context.replayed().shard.committedOffsets("g")).hasSize(1);
  }

  @Test
  void whenTheLastMemberLeavesTheGroupIsEmptyAndCanBeDeleted() {
    ConsumerGroupHeartbeatResponseData a = join("a");
    heartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setGroupId("g")
            .setMemberId("a")
            .setMemberEpoch(-1));
    assertThat(describe().groupState()).isEqualTo("Empty");
    assertThat(a.memberEpoch()).isEqualTo(1);

    Errors deleted =
        Errors.forCode(context.apply(context.shard.deleteGroups(List.of("g"))).get(0).errorCode());

    assertThat(deleted).isEqualTo(Errors.NONE);
    assertThat(groupOf("g")).isNull();
    assertThat(context.replayed().shard.groupForTest("g")).isNull();
  }

  static Uuid id(TopicMetadata.Topic topic) {
    return topic.id();
  }

  @Test
  void membersNamingAPluggedAssignorGetItsAssignment() {
    GroupCoordinatorShardTestContext custom =
        GroupCoordinatorShardTestContext.builder()
            .topics(topics)
            .config(
                c ->
                    c.assignors(
                        io.groupwarden.coordinator.group.assignor.Assignors.parse(
                            List.of(
                                "uniform",
                                io.groupwarden.coordinator.group.assignor.AllToFirstAssignor.class
                                    .getName()))))
            .build();
    ConsumerGroupHeartbeatResponseData a =
        custom.apply(
            custom.shard.consumerGroupHeartbeat(
                new Client("client", "/127.0.0.1", V1),
                joinRequest("a", "orders").setServerAssignor("all-to-first")));
    ConsumerGroupHeartbeatResponseData b =
        custom.apply(
            custom.shard.consumerGroupHeartbeat(
                new Client("client", "/127.0.0.1", V1),
                joinRequest("b", "orders").setServerAssignor("all-to-first")));

    assertThat(assignedPartitions(a)).containsExactly(0, 1, 2, 3);
    assertThat(assignedPartitions(b)).isEmpty();
    assertThat(custom.shard.consumerGroupDescribe("g").assignorName()).isEqualTo("all-to-first");
  }

  @Test
  void theReadApiShowsAConsumerGroupWithItsMembersAssignmentsAndOffsets() {
    join("a");
    commit("a", 1);

    GroupView view = context.shard.view("g");

    assertThat(view.type()).isEqualTo(GroupType.CONSUMER);
    assertThat(view.state()).isEqualTo("Stable");
    assertThat(view.epoch()).isEqualTo(1);
    assertThat(view.members())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.memberId()).isEqualTo("a");
              assertThat(m.assignment())
                  .extracting(tp -> tp.topic() + "-" + tp.partition())
                  .containsExactlyInAnyOrder("orders-0", "orders-1", "orders-2", "orders-3");
            });
    assertThat(view.offsets()).hasSize(1);
  }
}
