package io.groupwarden.coordinator.group;

import static org.apache.kafka.coordinator.group.generated.CoordinatorRecordType.GROUP_METADATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.group.classic.ClassicGroup;
import io.groupwarden.coordinator.group.classic.ClassicGroupState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The classic group protocol, driven with plain requests and a manual clock: no sleeps. */
class GroupCoordinatorShardTest {
  static final short V9 = 9;
  static final int SESSION = 10_000;
  static final int REBALANCE = 30_000;
  static final int INITIAL_DELAY = 3_000;

  GroupCoordinatorShardTestContext context;
  ManualTimer time;
  GroupCoordinatorShard shard;
  List<GroupRecord> persisted;

  @BeforeEach
  void setUp() {
    context =
        GroupCoordinatorShardTestContext.builder()
            .config(
                c ->
                    c.minSessionTimeoutMs(1_000)
                        .maxSessionTimeoutMs(60_000)
                        .initialRebalanceDelayMs(INITIAL_DELAY)
                        .maxSize(10)
                        .offsetsRetentionMs(86_400_000L))
            .build();
    time = context.time;
    shard = context.shard;
    persisted = context.persisted;
  }

  <T> T apply(CoordinatorResult<T> result) {
    return context.apply(result);
  }

  void advance(long ms) {
    context.advance(ms);
  }

  static JoinGroupRequestData joinRequest(
      String group, String memberId, String instanceId, String... protocols) {
    JoinGroupRequestProtocolCollection collection = new JoinGroupRequestProtocolCollection();
    for (String p : protocols) {
      collection.add(
          new JoinGroupRequestProtocol()
              .setName(p)
              .setMetadata(p.getBytes(StandardCharsets.UTF_8)));
    }
    return new JoinGroupRequestData()
        .setGroupId(group)
        .setMemberId(memberId)
        .setGroupInstanceId(instanceId)
        .setSessionTimeoutMs(SESSION)
        .setRebalanceTimeoutMs(REBALANCE)
        .setProtocolType("consumer")
        .setProtocols(collection);
  }

  CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request) {
    CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
    apply(shard.join(new Client("client", "/127.0.0.1", V9), request, future));
    return future;
  }

  /** A dynamic member's two-step join (KIP-394); returns the parked second JoinGroup. */
  CompletableFuture<JoinGroupResponseData> joinDynamic(String group, String... protocols) {
    JoinGroupResponseData first = join(joinRequest(group, "", null, protocols)).join();
    assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    return join(joinRequest(group, first.memberId(), null, protocols));
  }

  CompletableFuture<SyncGroupResponseData> sync(
      String group, JoinGroupResponseData joined, List<String> assignTo) {
    SyncGroupRequestData request =
        new SyncGroupRequestData()
            .setGroupId(group)
            .setMemberId(joined.memberId())
            .setGenerationId(joined.generationId())
            .setProtocolType("consumer")
            .setProtocolName(joined.protocolName());
    for (String memberId : assignTo) {
      request
          .assignments()
          .add(
              new SyncGroupRequestAssignment()
                  .setMemberId(memberId)
                  .setAssignment(("for-" + memberId).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
    apply(shard.sync(new Client("client", "/127.0.0.1", (short) 5), request, future));
    return future;
  }

  /** The two members of group "g" once the first rebalance completed and both synced. */
  record Stable(JoinGroupResponseData leader, JoinGroupResponseData follower) {}

  /**
   * Lets the initial delay pass for the joins of {@code a} (the leader) and {@code b}, then syncs.
   */
  Stable syncedAfterTheInitialDelay(
      CompletableFuture<JoinGroupResponseData> a, CompletableFuture<JoinGroupResponseData> b) {
    advance(INITIAL_DELAY * 2L);
    JoinGroupResponseData leader = a.join();
    JoinGroupResponseData follower = b.join();
    sync("g", follower, List.of());
    sync("g", leader, List.of(leader.memberId(), follower.memberId()));
    return new Stable(leader, follower);
  }

  /** Group "g" with one dynamic member, its leader, stable in generation 1. */
  JoinGroupResponseData aStableGroupOfOne() {
    CompletableFuture<JoinGroupResponseData> a = joinDynamic("g", "range");
    advance(INITIAL_DELAY);
    JoinGroupResponseData leader = a.join();
    sync("g", leader, List.of(leader.memberId()));
    return leader;
  }

  Errors heartbeat(String group, JoinGroupResponseData joined) {
    return Errors.forCode(
        apply(
                shard.heartbeat(
                    new HeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(joined.memberId())
                        .setGenerationId(joined.generationId())))
            .errorCode());
  }

  @Test
  void stateTransitionsOutsideTheProtocolAreRefused() {
    ClassicGroup group = new ClassicGroup("g", 0);
    assertThatThrownBy(() -> group.transitionTo(ClassicGroupState.STABLE, 1))
        .isInstanceOf(IllegalStateException.class);
    group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, 1);
    group.transitionTo(ClassicGroupState.COMPLETING_REBALANCE, 2);
    group.transitionTo(ClassicGroupState.STABLE, 3);
    assertThatThrownBy(() -> group.transitionTo(ClassicGroupState.EMPTY, 4))
        .isInstanceOf(IllegalStateException.class);
    group.transitionTo(ClassicGroupState.DEAD, 5);
    assertThat(group.state()).isEqualTo(ClassicGroupState.DEAD);
  }

  @Test
  void theFirstRebalanceWaitsForTheInitialDelayThenMakesTheFirstMemberLeader() {
    CompletableFuture<JoinGroupResponseData> first = joinDynamic("g", "range");
    advance(INITIAL_DELAY - 1);
    CompletableFuture<JoinGroupResponseData> second = joinDynamic("g", "range");
    assertThat(first).isNotDone();

    advance(INITIAL_DELAY);
    advance(INITIAL_DELAY);

    JoinGroupResponseData leader = first.join();
    JoinGroupResponseData follower = second.join();
    assertThat(leader.generationId()).isEqualTo(1).isEqualTo(follower.generationId());
    assertThat(leader.leader()).isEqualTo(leader.memberId()).isEqualTo(follower.leader());
    assertThat(leader.members()).hasSize(2);
    assertThat(follower.members()).isEmpty();
    assertThat(shard.group("g").state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
  }

  @Test
  void theLeadersAssignmentIsPersistedAndThenHandedToEveryMember() {
    CompletableFuture<JoinGroupResponseData> a = joinDynamic("g", "range");
    CompletableFuture<JoinGroupResponseData> b = joinDynamic("g", "range");
    advance(INITIAL_DELAY * 2L);
    JoinGroupResponseData leader = a.join();
    JoinGroupResponseData follower = b.join();

    CompletableFuture<SyncGroupResponseData> followerSync = sync("g", follower, List.of());
    assertThat(followerSync).isNotDone();
    SyncGroupResponseData leaderSync =
        sync("g", leader, List.of(leader.memberId(), follower.memberId())).join();

    assertThat(new String(leaderSync.assignment(), StandardCharsets.UTF_8))
        .isEqualTo("for-" + leader.memberId());
    assertThat(new String(followerSync.join().assignment(), StandardCharsets.UTF_8))
        .isEqualTo("for-" + follower.memberId());
    assertThat(shard.group("g").state()).isEqualTo(ClassicGroupState.STABLE);
    assertThat(persisted).last().extracting(GroupRecord::type).isEqualTo(GROUP_METADATA);
  }

  @Test
  void theProtocolIsTheOneAllMembersSupportThatMostPrefer() {
    CompletableFuture<JoinGroupResponseData> a = joinDynamic("g", "range", "roundrobin");
    CompletableFuture<JoinGroupResponseData> b = joinDynamic("g", "roundrobin", "range");
    CompletableFuture<JoinGroupResponseData> c = joinDynamic("g", "roundrobin");
    advance(INITIAL_DELAY * 3L);
    assertThat(a.join().protocolName()).isEqualTo("roundrobin");
    assertThat(List.of(b.join().protocolName(), c.join().protocolName()))
        .containsOnly("roundrobin");
  }

  @Test
  void aGroupDoesNotGrowBeyondItsMaximumSize() {
    List<CompletableFuture<JoinGroupResponseData>> joined = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      joined.add(joinDynamic("big", "range"));
    }
    advance(INITIAL_DELAY * 3L); // the initial delay is extended once, then the phase completes
    assertThat(joined).allMatch(f -> f.isDone() && f.join().errorCode() == Errors.NONE.code());
    // The eleventh is turned away before it is even given a member id.
    CompletableFuture<JoinGroupResponseData> eleventh = join(joinRequest("big", "", null, "range"));
    assertThat(eleventh).isDone();
    assertThat(Errors.forCode(eleventh.join().errorCode()))
        .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
  }

  @Test
  void aSessionTimeoutOutsideTheBrokersBoundsIsRefused() {
    JoinGroupResponseData response =
        join(joinRequest("g", "", null, "range").setSessionTimeoutMs(500)).join();
    assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
  }

  @Test
  void aMemberWithNoCommonProtocolIsRefused() {
    joinDynamic("g", "range");
    advance(INITIAL_DELAY);
    JoinGroupResponseData refused = join(joinRequest("g", "", null, "sticky")).join();
    assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
  }

  @Test
  void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
    CompletableFuture<JoinGroupResponseData> a = joinDynamic("g", "range");
    CompletableFuture<JoinGroupResponseData> b = joinDynamic("g", "range");
    Stable stable = syncedAfterTheInitialDelay(a, b);
    JoinGroupResponseData leader = stable.leader();
    JoinGroupResponseData follower = stable.follower();

    advance(SESSION / 2);
    assertThat(heartbeat("g", leader)).isEqualTo(Errors.NONE);
    assertThat(shard.group("g").hasMember(follower.memberId())).isTrue();
    advance(SESSION / 2 + 1);
    // The follower never heartbeat: it is gone, and the group rebalances around the leader.
    assertThat(shard.group("g").hasMember(follower.memberId())).isFalse();
    assertThat(heartbeat("g", leader)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    assertThat(heartbeat("g", follower)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aStaticMemberThatRejoinsWithinItsSessionKeepsItsGenerationAndAssignment() {
    CompletableFuture<JoinGroupResponseData> a = join(joinRequest("g", "", "instance-a", "range"));
    CompletableFuture<JoinGroupResponseData> b = join(joinRequest("g", "", "instance-b", "range"));
    Stable stable = syncedAfterTheInitialDelay(a, b);
    JoinGroupResponseData leader = stable.leader();
    JoinGroupResponseData follower = stable.follower();

    advance(SESSION / 2);
    JoinGroupResponseData rejoined = join(joinRequest("g", "", "instance-b", "range")).join();

    assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
    assertThat(rejoined.generationId()).isEqualTo(follower.generationId());
    assertThat(rejoined.memberId()).isNotEqualTo(follower.memberId());
    assertThat(shard.group("g").state()).isEqualTo(ClassicGroupState.STABLE);
    SyncGroupResponseData assignment = sync("g", rejoined, List.of()).join();
    assertThat(new String(assignment.assignment(), StandardCharsets.UTF_8))
        .isEqualTo("for-" + follower.memberId());
    // The instance's old member id is fenced.
    assertThat(
            Errors.forCode(
                apply(
                        shard.heartbeat(
                            new HeartbeatRequestData()
                                .setGroupId("g")
                                .setMemberId(follower.memberId())
                                .setGroupInstanceId("instance-b")
                                .setGenerationId(follower.generationId())))
                    .errorCode()))
        .isEqualTo(Errors.FENCED_INSTANCE_ID);
  }

  @Test
  void whenTheLastMemberLeavesTheGroupBecomesEmptyAndThatIsPersisted() {
    JoinGroupResponseData leader = aStableGroupOfOne();

    apply(shard.leave("g", List.of(new MemberIdentity().setMemberId(leader.memberId()))));

    assertThat(shard.group("g").state()).isEqualTo(ClassicGroupState.EMPTY);
    assertThat(shard.group("g").generationId()).isEqualTo(2);
    GroupMetadataValue last = (GroupMetadataValue) persisted.get(persisted.size() - 1).value();
    assertThat(last.members()).isEmpty();
  }

  @Test
  void replayingTheRecordsRebuildsOffsetsAndGroups() {
    JoinGroupResponseData leader = aStableGroupOfOne();
    apply(
        shard.commitOffsets(
            new Client("client", "/127.0.0.1", (short) 9),
            OffsetCommits.ofMember("g", leader.memberId(), leader.generationId(), "t", 0, 42)));

    GroupCoordinatorShard rebuilt = context.replayed().shard;

    assertThat(rebuilt.committedOffsets("g")).hasSize(1);
    assertThat(rebuilt.committedOffsets("g").values().iterator().next().offset()).isEqualTo(42);
    assertThat(rebuilt.group("g").state()).isEqualTo(ClassicGroupState.STABLE);
    assertThat(rebuilt.group("g").generationId()).isEqualTo(leader.generationId());
    assertThat(rebuilt.group("g").member(leader.memberId()).assignment())
        .isEqualTo(("for-" + leader.memberId()).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndTheGroupGoesAway() {
    apply(
        shard.commitOffsets(
            new Client("admin", "/127.0.0.1", (short) 9),
            OffsetCommits.ofNoMember("simple", "t", 0, 7)));
    time.advance(86_400_000L - 1);
    apply(shard.expireOffsets());
    assertThat(shard.committedOffsets("simple")).hasSize(1);

    time.advance(1);
    apply(shard.expireOffsets());
    assertThat(shard.committedOffsets("simple")).isEmpty();
    assertThat(shard.group("simple")).isNull();
  }

  @Test
  void aRetentionInAnOffsetCommitUpToVersionFourExpiresTheOffsetAndLaterVersionsIgnoreIt() {
    apply(
        shard.commitOffsets(
            new Client("old-client", "/127.0.0.1", (short) 2),
            OffsetCommits.ofNoMember("old", "t", 0, 7).setRetentionTimeMs(60_000)));
    apply(
        shard.commitOffsets(
            new Client("new-client", "/127.0.0.1", (short) 9),
            OffsetCommits.ofNoMember("new", "t", 0, 7).setRetentionTimeMs(60_000)));
    time.advance(60_000 - 1);
    apply(shard.expireOffsets());
    assertThat(shard.committedOffsets("old")).hasSize(1);

    time.advance(1);
    apply(shard.expireOffsets());
    assertThat(shard.committedOffsets("old")).isEmpty();
    assertThat(shard.committedOffsets("new")).as("kept until the group's retention").hasSize(1);
  }
}
