package io.groupwarden.coordinator.group;

import static io.groupwarden.coordinator.group.GroupCoordinatorShardTestContext.assertSingleOwners;
import static io.groupwarden.coordinator.group.GroupCoordinatorShardTestContext.assignedPartitions;
import static io.groupwarden.coordinator.group.GroupCoordinatorShardTestContext.topicPartitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.group.classic.ClassicGroup;
import io.groupwarden.coordinator.group.classic.ClassicGroupState;
import io.groupwarden.coordinator.group.consumer.ConsumerGroup;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The online migration between the classic and the consumer protocol on one shard, with a manual
 * clock: a classic group becomes a consumer group when a consumer-protocol member joins, its
 * classic members keep working inside it, and it becomes classic again when the last
 * consumer-protocol member goes.
 */
class GroupConversionTest {
  static final int SESSION = 10_000;
  static final int REBALANCE = 30_000;

  FakeTopics topics;
  GroupCoordinatorShardTestContext context;

  /** Two classic members, dynamic unless a test makes them static. */
  ClassicMember a;

  ClassicMember b;

  @BeforeEach
  void setUp() {
    topics = new FakeTopics();
    topics.create("orders", 6);
    context =
        GroupCoordinatorShardTestContext.builder()
            .topics(topics)
            .config(
                c ->
                    c.initialRebalanceDelayMs(0)
                        .minSessionTimeoutMs(1_000)
                        .consumerSessionTimeoutMs(45_000)
                        .consumerHeartbeatIntervalMs(1_000))
            .build();
    a = new ClassicMember(null);
    b = new ClassicMember(null);
  }

  // ---------------------------------------------------------------- a classic member, driven

  /** JoinGroup to group "g" with this test's session and rebalance timeouts and one protocol. */
  CompletableFuture<JoinGroupResponseData> joinGroup(
      Client client,
      String memberId,
      String instanceId,
      String protocolType,
      JoinGroupRequestProtocol protocol) {
    JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
    protocols.add(protocol);
    CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
    context.apply(
        context.shard.join(
            client,
            new JoinGroupRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION)
                .setRebalanceTimeoutMs(REBALANCE)
                .setProtocolType(protocolType)
                .setProtocols(protocols),
            future));
    return future;
  }

  /** A classic consumer as kafka-clients runs one: its member id, generation and partitions. */
  final class ClassicMember {
    final String instanceId;
    String memberId = "";
    int generation = -1;
    String protocol;
    Set<Integer> owned = new TreeSet<>();

    ClassicMember(String instanceId) {
      this.instanceId = instanceId;
    }

    /** JoinGroup (with the member-id round trip), reporting {@code owned}. */
    CompletableFuture<JoinGroupResponseData> join() {
      CompletableFuture<JoinGroupResponseData> future = sendJoin();
      if (future.isDone() && error(future.join()) == Errors.MEMBER_ID_REQUIRED) {
        memberId = future.join().memberId();
        future = sendJoin();
      }
      future.thenAccept(
          r -> {
            if (error(r) == Errors.NONE) {
              memberId = r.memberId();
              generation = r.generationId();
              protocol = r.protocolName();
            }
          });
      return future;
    }

    private CompletableFuture<JoinGroupResponseData> sendJoin() {
      ConsumerPartitionAssignor.Subscription subscription =
          new ConsumerPartitionAssignor.Subscription(
              List.of("orders"), null, partitions(owned), generation, java.util.Optional.empty());
      ByteBuffer bytes = ConsumerProtocol.serializeSubscription(subscription);
      byte[] metadata = new byte[bytes.remaining()];
      bytes.get(metadata);
      return joinGroup(
          new Client("classic-client", "/127.0.0.1", (short) 9),
          memberId,
          instanceId,
          "consumer",
          new JoinGroupRequestProtocol().setName("range").setMetadata(metadata));
    }

    /** SyncGroup; a leader hands out {@code assignment} (member id to partitions). */
    SyncGroupResponseData sync(Map<String, Set<Integer>> assignment) {
      SyncGroupRequestData request =
          new SyncGroupRequestData()
              .setGroupId("g")
              .setMemberId(memberId)
              .setGroupInstanceId(instanceId)
              .setGenerationId(generation)
              .setProtocolType("consumer")
              .setProtocolName(protocol);
      assignment.forEach(
          (member, partitions) ->
              request
                  .assignments()
                  .add(
                      new SyncGroupRequestAssignment()
                          .setMemberId(member)
                          .setAssignment(assignmentBytes(partitions))));
      CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
      context.apply(
          context.shard.sync(
              new Client("classic-client", "/127.0.0.1", (short) 5), request, future));
      future.thenAccept(
          response -> {
            if (error(response) == Errors.NONE) {
              owned = new TreeSet<>();
              ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(response.assignment()))
                  .partitions()
                  .forEach(tp -> owned.add(tp.partition()));
            }
          });
      return future.getNow(null);
    }

    Errors heartbeat() {
      return Errors.forCode(
          context
              .apply(
                  context.shard.heartbeat(
                      new HeartbeatRequestData()
                          .setGroupId("g")
                          .setMemberId(memberId)
                          .setGroupInstanceId(instanceId)
                          .setGenerationId(generation)))
              .errorCode());
    }

    /** Joins and syncs until the broker says nothing more: what it owns then is its share. */
    void rejoinUntilSettled() {
      for (int round = 0; round < 5; round++) {
        JoinGroupResponseData joined = join().join();
        assertThat(error(joined)).isEqualTo(Errors.NONE);
        assertThat(joined.leader()).isNotEqualTo(memberId);
        assertThat(error(sync(Map.of()))).isEqualTo(Errors.NONE);
        if (heartbeat() == Errors.NONE) {
          return;
        }
      }
      throw new AssertionError("member " + memberId + " never settled");
    }

    Errors commit(int generationId) {
      return GroupConversionTest.this.commit(memberId, generationId, (short) 8);
    }
  }

  static Errors error(JoinGroupResponseData response) {
    return Errors.forCode(response.errorCode());
  }

  static Errors error(SyncGroupResponseData response) {
    return Errors.forCode(response.errorCode());
  }

  static List<TopicPartition> partitions(Set<Integer> owned) {
    List<TopicPartition> list = new ArrayList<>();
    owned.forEach(p -> list.add(new TopicPartition("orders", p)));
    return list;
  }

  static byte[] assignmentBytes(Set<Integer> partitions) {
    ByteBuffer bytes =
        ConsumerProtocol.serializeAssignment(
            new ConsumerPartitionAssignor.Assignment(partitions(partitions)));
    byte[] array = new byte[bytes.remaining()];
    bytes.get(array);
    return array;
  }

  /** A stable classic group of two: the leader gave a 0-2, b 3-5. */
  void stableClassicGroupOfTwo() {
    a.join().join();
    a.sync(Map.of(a.memberId, Set.of(0, 1, 2, 3, 4, 5)));
    assertThat(a.heartbeat()).isEqualTo(Errors.NONE);
    CompletableFuture<JoinGroupResponseData> joiningB = b.join();
    assertThat(a.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    a.owned.clear(); // eager: it gives up everything before joining again
    JoinGroupResponseData leader = a.join().join();
    joiningB.join();
    assertThat(leader.leader()).isEqualTo(a.memberId);
    b.sync(Map.of()); // parked until the leader's SyncGroup
    a.sync(Map.of(a.memberId, Set.of(0, 1, 2), b.memberId, Set.of(3, 4, 5)));
    assertThat(context.shard.group("g").state()).isEqualTo(ClassicGroupState.STABLE);
  }

  // ---------------------------------------------------------------- consumer-protocol members

  ConsumerGroupHeartbeatResponseData consumerHeartbeat(ConsumerGroupHeartbeatRequestData request) {
    return context.apply(
        context.shard.consumerGroupHeartbeat(
            new Client("consumer-client", "/127.0.0.1", (short) 1), request.setGroupId("g")));
  }

  ConsumerGroupHeartbeatResponseData consumerJoin(String memberId, String instanceId) {
    return consumerHeartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setMemberId(memberId)
            .setInstanceId(instanceId)
            .setMemberEpoch(0)
            .setRebalanceTimeoutMs(REBALANCE)
            .setSubscribedTopicNames(List.of("orders"))
            .setTopicPartitions(List.of()));
  }

  ConsumerGroupHeartbeatResponseData consumerBeat(String memberId, int epoch, Set<Integer> owned) {
    return consumerHeartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setMemberId(memberId)
            .setMemberEpoch(epoch)
            .setTopicPartitions(topicPartitions(topics.byName("orders").id(), owned)));
  }

  Errors commit(String memberId, int generationOrEpoch, short version) {
    return Errors.forCode(
        context
            .apply(
                context.shard.commitOffsets(
                    new Client("client", "/127.0.0.1", version),
                    new OffsetCommitRequestData()
                        .setGroupId("g")
                        .setMemberId(memberId)
                        .setGenerationIdOrMemberEpoch(generationOrEpoch)
                        .setTopics(
                            List.of(
                                new OffsetCommitRequestTopic()
                                    .setName("orders")
                                    .setPartitions(
                                        List.of(
                                            new OffsetCommitRequestPartition()
                                                .setPartitionIndex(0)
                                                .setCommittedOffset(42)))))))
            .topics()
            .get(0)
            .partitions()
            .get(0)
            .errorCode());
  }

  Group group() {
    return context.shard.groupForTest("g");
  }

  ConsumerGroup consumerGroup() {
    return (ConsumerGroup) group();
  }

  DescribedGroup describe() {
    return context.shard.consumerGroupDescribe("g");
  }

  // ---------------------------------------------------------------- upgrade

  @Test
  void aConsumerProtocolMemberJoiningAClassicGroupMakesItAConsumerGroupKeepingItsMembers() {
    stableClassicGroupOfTwo();
    int generation = a.generation;
    assertThat(a.commit(generation)).isEqualTo(Errors.NONE);

    ConsumerGroupHeartbeatResponseData c = consumerJoin("c", null);

    assertThat(Errors.forCode(c.errorCode())).isEqualTo(Errors.NONE);
    assertThat(group().type()).isEqualTo(GroupType.CONSUMER);
    assertThat(c.memberEpoch()).isEqualTo(generation + 1);
    // Everything is still owned by the classic members: c waits until they give some up.
    assertThat(assignedPartitions(c)).isEmpty();
    assertThat(consumerGroup().member(a.memberId).reconciliation().assigned().size()).isEqualTo(3);
    assertThat(consumerGroup().member(a.memberId).reconciliation().memberEpoch())
        .isEqualTo(generation);
    assertSingleOwners(consumerGroup());
    assertThat(context.shard.committedOffsets("g")).hasSize(1);
    assertThat(describe().members())
        .extracting(m -> m.memberType())
        .containsExactlyInAnyOrder((byte) 0, (byte) 0, (byte) 1);
  }

  @Test
  void listGroupsNamesTheTypeInLowerCaseAndFiltersByIt() {
    stableClassicGroupOfTwo();
    assertThat(context.shard.list(Set.of(), Set.of("classic")))
        .extracting(ListedGroup::groupType)
        .containsExactly("classic");
    assertThat(context.shard.list(Set.of(), Set.of("consumer"))).isEmpty();

    consumerJoin("c", null);

    assertThat(context.shard.list(Set.of(), Set.of("consumer")))
        .extracting(ListedGroup::groupType)
        .containsExactly("consumer");
    assertThat(context.shard.list(Set.of(), Set.of("classic"))).isEmpty();
  }

  @Test
  void classicMembersAreToldToRejoinAndGiveUpPartitionsBeforeTheNewMemberGetsThem() {
    stableClassicGroupOfTwo();
    ConsumerGroupHeartbeatResponseData c = consumerJoin("c", null);

    assertThat(a.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    // a joins again still owning its three (as a cooperative member would): it keeps two and is
    // told to give one up, at its old generation.
    JoinGroupResponseData rejoined = a.join().join();
    assertThat(rejoined.generationId()).isEqualTo(a.generation);
    assertThat(rejoined.leader()).isNotEqualTo(a.memberId);
    assertThat(rejoined.members()).isEmpty();
    a.sync(Map.of());
    assertThat(a.owned).hasSize(2);
    assertSingleOwners(consumerGroup());
    // Having given it up, it joins again and moves to the group's epoch.
    assertThat(a.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    a.rejoinUntilSettled();
    assertThat(a.generation).isEqualTo(consumerGroup().groupEpoch());
    b.owned.clear(); // b is eager: it gives up everything when told to rejoin
    assertThat(b.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    b.rejoinUntilSettled();
    assertThat(b.owned).hasSize(2);

    Set<Integer> ofC = assignedPartitions(consumerBeat("c", c.memberEpoch(), Set.of()));
    assertThat(ofC)
        .hasSize(2)
        .doesNotContainAnyElementsOf(a.owned)
        .doesNotContainAnyElementsOf(b.owned);
    consumerBeat("c", c.memberEpoch(), ofC);
    assertSingleOwners(consumerGroup());
    assertThat(describe().groupState()).isEqualTo("Stable");
  }

  @Test
  void aClassicMembersCommitsAreCheckedAgainstItsMemberEpochAsAGeneration() {
    stableClassicGroupOfTwo();
    consumerJoin("c", null);

    assertThat(a.commit(a.generation)).isEqualTo(Errors.NONE);
    assertThat(a.commit(a.generation - 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(commit("c", 99, (short) 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
  }

  @Test
  void aClassicMemberThatStopsHeartbeatingIsRemovedAfterItsOwnSessionTimeout() {
    stableClassicGroupOfTwo();
    consumerJoin("c", null);

    context.advance(SESSION / 2);
    a.heartbeat();
    consumerBeat("c", consumerGroup().member("c").reconciliation().memberEpoch(), Set.of());
    context.advance(SESSION / 2 + 1);

    assertThat(consumerGroup().member(b.memberId)).isNull();
    assertThat(consumerGroup().member(a.memberId)).isNotNull();
    assertThat(b.heartbeat()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aClassicMemberToldToRejoinThatDoesNotIsRemovedAfterItsRebalanceTimeout() {
    stableClassicGroupOfTwo();
    consumerJoin("c", null);
    assertThat(a.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

    for (int waited = 0; waited <= REBALANCE; waited += SESSION / 2) {
      context.advance(SESSION / 2);
      a.heartbeat(); // alive, but never joins again
      b.heartbeat();
    }

    assertThat(consumerGroup().member(a.memberId)).isNull();
  }

  @Test
  void upgradingAGroupWhoseMembersDoNotSpeakTheConsumerProtocolIsRefused() {
    CompletableFuture<JoinGroupResponseData> future =
        joinGroup(
            new Client("worker", "/127.0.0.1", (short) 3),
            "",
            null,
            "connect",
            new JoinGroupRequestProtocol().setName("connect").setMetadata(new byte[] {1}));
    assertThat(error(future.join())).isEqualTo(Errors.NONE);

    ConsumerGroupHeartbeatResponseData c = consumerJoin("c", null);

    assertThat(Errors.forCode(c.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    assertThat(group().type()).isEqualTo(GroupType.CLASSIC);
  }

  @Test
  void theConvertedGroupIsRebuiltFromItsRecords() {
    stableClassicGroupOfTwo();
    consumerJoin("c", null);
    a.commit(a.generation);
    DescribedGroup before = describe();

    GroupCoordinatorShardTestContext rebuilt = context.replayed();

    assertThat(rebuilt.shard.consumerGroupDescribe("g")).isEqualTo(before);
    assertThat(rebuilt.shard.committedOffsets("g")).hasSize(1);
    ConsumerGroup group = (ConsumerGroup) rebuilt.shard.groupForTest("g");
    assertThat(group.member(a.memberId).usesClassicProtocol()).isTrue();
    assertThat(group.member(a.memberId).classic().sessionTimeoutMs()).isEqualTo(SESSION);
  }

  // ---------------------------------------------------------------- downgrade

  @Test
  void whenTheLastConsumerProtocolMemberLeavesTheGroupBecomesClassicAndRebalances() {
    stableClassicGroupOfTwo();
    ConsumerGroupHeartbeatResponseData c = consumerJoin("c", null);
    a.rejoinUntilSettled();
    b.owned.clear();
    b.rejoinUntilSettled();
    int epoch = consumerGroup().groupEpoch();
    Set<Integer> ownedByA = Set.copyOf(a.owned);
    assertThat(a.commit(a.generation)).isEqualTo(Errors.NONE);

    consumerHeartbeat(new ConsumerGroupHeartbeatRequestData().setMemberId("c").setMemberEpoch(-1));

    assertThat(group().type()).isEqualTo(GroupType.CLASSIC);
    ClassicGroup classic = context.shard.group("g");
    assertThat(classic.state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    assertThat(classic.generationId()).isEqualTo(epoch);
    assertThat(classic.members()).hasSize(2);
    assertThat(
            ConsumerProtocol.deserializeAssignment(
                    ByteBuffer.wrap(classic.member(a.memberId).assignment()))
                .partitions())
        .extracting(TopicPartition::partition)
        .containsExactlyInAnyOrderElementsOf(ownedByA);
    assertThat(context.shard.committedOffsets("g")).hasSize(1);

    // The classic members join the classic rebalance and the leader assigns again.
    assertThat(a.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    CompletableFuture<JoinGroupResponseData> joinA = a.join();
    assertThat(b.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    JoinGroupResponseData joinB = b.join().join();
    JoinGroupResponseData leader = joinA.join().leader().equals(a.memberId) ? joinA.join() : joinB;
    assertThat(leader.members()).hasSize(2);
    assertThat(joinA.join().generationId()).isEqualTo(epoch + 1);
    ClassicMember follower = leader.memberId().equals(a.memberId) ? b : a;
    ClassicMember leading = follower == a ? b : a;
    follower.sync(Map.of());
    leading.sync(Map.of(a.memberId, Set.of(0, 1, 2), b.memberId, Set.of(3, 4, 5)));
    assertThat(classic.state()).isEqualTo(ClassicGroupState.STABLE);
    assertThat(a.owned).containsExactly(0, 1, 2);

    GroupCoordinatorShardTestContext rebuilt = context.replayed();
    assertThat(rebuilt.shard.groupForTest("g").type()).isEqualTo(GroupType.CLASSIC);
    assertThat(rebuilt.shard.group("g").members()).hasSize(2);
    assertThat(rebuilt.shard.committedOffsets("g")).hasSize(1);
  }

  @Test
  void theLastConsumerProtocolMembersSessionTimeoutAlsoTurnsTheGroupBackIntoAClassicGroup() {
    stableClassicGroupOfTwo();
    consumerJoin("c", null);
    a.rejoinUntilSettled();
    b.owned.clear();
    b.rejoinUntilSettled();

    for (int waited = 0; waited <= 45_000; waited += SESSION / 2) {
      context.advance(SESSION / 2);
      a.heartbeat();
      b.heartbeat();
    }

    assertThat(group().type()).isEqualTo(GroupType.CLASSIC);
    assertThat(context.shard.group("g").members()).hasSize(2);
  }

  @Test
  void aClassicLeaveDoesNotTurnTheGroupBackWhileAConsumerProtocolMemberRemains() {
    stableClassicGroupOfTwo();
    consumerJoin("c", null);
    int epoch = consumerGroup().groupEpoch();

    LeaveGroupResponseDataView left =
        new LeaveGroupResponseDataView(
            context.apply(
                context.shard.leave("g", List.of(new MemberIdentity().setMemberId(b.memberId)))));

    assertThat(left.errors()).containsExactly(Errors.NONE);
    assertThat(group().type()).isEqualTo(GroupType.CONSUMER);
    assertThat(consumerGroup().groupEpoch()).isEqualTo(epoch + 1);
    assertThat(consumerGroup().members()).hasSize(2);
  }

  record LeaveGroupResponseDataView(
      org.apache.kafka.common.message.LeaveGroupResponseData response) {
    List<Errors> errors() {
      return response.members().stream().map(m -> Errors.forCode(m.errorCode())).toList();
    }
  }

  @Test
  void aClassicMemberJoiningAnEmptyConsumerGroupMakesItAClassicGroupWithItsOffsets() {
    ConsumerGroupHeartbeatResponseData c = consumerJoin("c", null);
    commit("c", c.memberEpoch(), (short) 9);
    consumerHeartbeat(new ConsumerGroupHeartbeatRequestData().setMemberId("c").setMemberEpoch(-1));

    JoinGroupResponseData joined = a.join().join();
    System.err.println(
        "DEBUG " + joined + " " + context.shard.groupForTest("g") + " " + context.persisted);

    assertThat(error(joined)).isEqualTo(Errors.NONE);
    assertThat(group().type()).isEqualTo(GroupType.CLASSIC);
    assertThat(context.shard.committedOffsets("g")).hasSize(1);
    GroupCoordinatorShardTestContext rebuilt = context.replayed();
    assertThat(rebuilt.shard.groupForTest("g").type()).isEqualTo(GroupType.CLASSIC);
    assertThat(rebuilt.shard.committedOffsets("g")).hasSize(1);
  }

  // ---------------------------------------------------------------- static members

  @Test
  void aStaticConsumerProtocolMemberTakesOverTheStaticClassicMemberItReplaces() {
    a = new ClassicMember("instance-a");
    b = new ClassicMember("instance-b");
    stableClassicGroupOfTwo();
    Set<Integer> ofB = Set.copyOf(b.owned);

    // b's process stops (a static member sends no LeaveGroup); its successor speaks the consumer
    // protocol with the same instance id.
    ConsumerGroupHeartbeatResponseData successor = consumerJoin("b2", "instance-b");

    assertThat(Errors.forCode(successor.errorCode())).isEqualTo(Errors.NONE);
    assertThat(assignedPartitions(successor)).isEqualTo(ofB);
    assertThat(consumerGroup().member(b.memberId)).isNull();
    assertThat(consumerGroup().members()).hasSize(2);
    assertSingleOwners(consumerGroup());
  }

  @Test
  void aStaticClassicMemberReplacingTheLastConsumerProtocolMemberTurnsTheGroupBack() {
    a = new ClassicMember("instance-a");
    b = new ClassicMember("instance-b");
    stableClassicGroupOfTwo();
    ConsumerGroupHeartbeatResponseData successor = consumerJoin("b2", "instance-b");
    consumerHeartbeat(
        new ConsumerGroupHeartbeatRequestData()
            .setMemberId("b2")
            .setInstanceId("instance-b")
            .setMemberEpoch(-2));
    assertThat(successor.memberEpoch()).isPositive();

    ClassicMember back = new ClassicMember("instance-b");
    CompletableFuture<JoinGroupResponseData> joining = back.join();

    assertThat(group().type()).isEqualTo(GroupType.CLASSIC);
    ClassicGroup classic = context.shard.group("g");
    assertThat(classic.members()).extracting(m -> m.groupInstanceId()).contains("instance-b");
    assertThat(a.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    a.join();
    assertThat(error(joining.join())).isEqualTo(Errors.NONE);
    assertThat(classic.members()).hasSize(2);
  }
}
