package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupConfig;
import io.groupwarden.coordinator.group.GroupMetrics;
import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.GroupRegistry;
import io.groupwarden.coordinator.group.GroupTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) for the classic groups
 * of one shard: pure logic on the shard thread, with time and timers injected. Handlers change
 * membership in place and return the records to persist; {@link ClassicGroupRecords} turns a group
 * into its record and back.
 */
public final class ClassicGroupManager {
  private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupManager.class);
  private static final byte[] NO_BYTES = new byte[0];

  private final GroupConfig config;
  private final LongSupplier clock;
  private final GroupTimer timer;
  private final GroupMetrics metrics;
  private final GroupRegistry groups;
  final ClassicGroupRecords records = new ClassicGroupRecords();
  private final ClassicJoinHandler joins;
  private final ClassicGroupConversion conversion;

  public ClassicGroupManager(
      GroupConfig config,
      LongSupplier clock,
      GroupTimer timer,
      GroupMetrics metrics,
      GroupRegistry groups) {
    this.config = config;
    this.clock = clock;
    this.timer = timer;
    this.metrics = metrics;
    this.groups = groups;
    this.joins = new ClassicJoinHandler(this, config, timer, groups);
    this.conversion = new ClassicGroupConversion(this, timer, groups);
  }

  /** Releases and takes over classic groups in a conversion to or from a consumer group. */
  public ClassicGroupConversion conversion() {
    return conversion;
  }

  /** The classic group with this id, or null (also when the id names a group of another type). */
  public ClassicGroup group(String groupId) {
    return groups.get(groupId, ClassicGroup.class);
  }

  /** The group of an offset commit without membership (an admin, or manual assignment). */
  public ClassicGroup getOrCreateSimpleGroup(String groupId) {
    ClassicGroup group = group(groupId);
    if (group == null) {
      group = new ClassicGroup(groupId, now());
      groups.put(group);
    }
    return group;
  }

  // ---------------------------------------------------------------- JoinGroup

  public CoordinatorResult<Void> join(
      Client client,
      JoinGroupRequestData request,
      CompletableFuture<JoinGroupResponseData> future) {
    return joins.join(client, request, future);
  }

  static JoinGroupResponseData currentGeneration(
      ClassicGroup group, String memberId, boolean withMembers) {
    return new JoinGroupResponseData()
        .setMembers(withMembers ? group.joinResponseMembers() : List.of())
        .setMemberId(memberId)
        .setGenerationId(group.generationId())
        .setProtocolName(group.protocolName())
        .setProtocolType(group.protocolType())
        .setLeader(group.leaderId())
        .setSkipAssignment(false);
  }

  CoordinatorResult<Void> prepareRebalanceOrCompleteJoin(ClassicGroup group) {
    return group.canRebalance() ? prepareRebalance(group) : maybeCompleteJoinPhase(group);
  }

  CoordinatorResult<Void> prepareRebalance(ClassicGroup group) {
    if (group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
      resetAssignmentsWithError(group, Errors.REBALANCE_IN_PROGRESS);
    }
    group.clearPendingSync();
    timer.cancel(syncKey(group.groupId()));
    boolean initial = group.is(ClassicGroupState.EMPTY);
    String groupId = group.groupId();
    if (initial && config.initialRebalanceDelayMs() == 0) {
      // No initial delay: the first join completes the phase at once, as a timer of 0 ms would.
      group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, now());
      return completeJoinPhase(group);
    }
    if (initial) {
      int delay = config.initialRebalanceDelayMs();
      int remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      timer.schedule(joinKey(groupId), delay, () -> initialDelayElapsed(groupId, delay, remaining));
    }
    group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, now());
    return initial ? CoordinatorResult.none() : completeJoinOrWait(group);
  }

  private CoordinatorResult<Void> completeJoinOrWait(ClassicGroup group) {
    if (group.allMembersJoined()) {
      return completeJoinPhase(group);
    }
    String groupId = group.groupId();
    timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () -> joinTimedOut(groupId));
    return CoordinatorResult.none();
  }

  /**
   * The initial delay: wait for more members while they keep coming, up to the rebalance timeout.
   */
  private CoordinatorResult<Void> initialDelayElapsed(String groupId, int delay, int remaining) {
    ClassicGroup group = group(groupId);
    if (group == null || !group.is(ClassicGroupState.PREPARING_REBALANCE)) {
      return CoordinatorResult.none();
    }
    if (group.newMemberAdded() && remaining != 0) {
      group.setNewMemberAdded(false);
      int nextDelay = Math.min(config.initialRebalanceDelayMs(), remaining);
      int nextRemaining = Math.max(remaining - delay, 0);
      timer.schedule(
          joinKey(groupId),
          nextDelay,
          () -> initialDelayElapsed(groupId, nextDelay, nextRemaining));
      return CoordinatorResult.none();
    }
    return completeJoinPhase(group);
  }

  private CoordinatorResult<Void> joinTimedOut(String groupId) {
    ClassicGroup group = group(groupId);
    return group == null || !group.is(ClassicGroupState.PREPARING_REBALANCE)
        ? CoordinatorResult.none()
        : completeJoinPhase(group);
  }

  CoordinatorResult<Void> maybeCompleteJoinPhase(ClassicGroup group) {
    if (!group.is(ClassicGroupState.PREPARING_REBALANCE)
        || group.previousState() == ClassicGroupState.EMPTY
        || !group.allMembersJoined()) {
      return CoordinatorResult.none();
    }
    return completeJoinPhase(group);
  }

  /**
   * Ends the join phase: dynamic members that did not rejoin are dropped, a new generation starts,
   * and every joined member gets its JoinGroup response (the leader with the member list).
   */
  private CoordinatorResult<Void> completeJoinPhase(ClassicGroup group) {
    String groupId = group.groupId();
    timer.cancel(joinKey(groupId));
    for (ClassicGroupMember member : group.notYetRejoined()) {
      if (!member.isStatic()) {
        cancelHeartbeat(groupId, member);
        group.remove(member.memberId());
      }
    }
    if (group.is(ClassicGroupState.DEAD)) {
      return CoordinatorResult.none();
    }
    if (!group.electJoinedLeader() && group.size() > 0) {
      timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () -> joinTimedOut(groupId));
      return CoordinatorResult.none();
    }
    group.initNextGeneration(now());
    if (group.is(ClassicGroupState.EMPTY)) {
      return CoordinatorResult.persist(List.of(records.metadata(group, Map.of())), () -> {});
    }
    for (ClassicGroupMember member : group.members()) {
      boolean leader = group.isLeader(member.memberId());
      group.completeJoin(member, currentGeneration(group, member.memberId(), leader));
      scheduleHeartbeat(group, member, member.sessionTimeoutMs());
      member.setNew(false);
      group.addPendingSync(member.memberId());
    }
    int generation = group.generationId();
    timer.schedule(
        syncKey(groupId), group.rebalanceTimeoutMs(), () -> syncTimedOut(groupId, generation));
    return CoordinatorResult.none();
  }

  /** Members that got a generation but never asked for their assignment are dropped. */
  private CoordinatorResult<Void> syncTimedOut(String groupId, int generation) {
    ClassicGroup group = group(groupId);
    if (group == null
        || group.generationId() != generation
        || !(group.is(ClassicGroupState.COMPLETING_REBALANCE) || group.is(ClassicGroupState.STABLE))
        || group.pendingSyncMembers().isEmpty()) {
      return CoordinatorResult.none();
    }
    for (String memberId : new ArrayList<>(group.pendingSyncMembers())) {
      cancelHeartbeat(groupId, group.member(memberId));
      group.remove(memberId);
    }
    return prepareRebalance(group);
  }

  // ---------------------------------------------------------------- SyncGroup

  public CoordinatorResult<Void> sync(
      Client client,
      SyncGroupRequestData request,
      CompletableFuture<SyncGroupResponseData> future) {
    ClassicGroup group = group(request.groupId());
    if (group == null || group.is(ClassicGroupState.EMPTY)) {
      return completeSync(future, Errors.UNKNOWN_MEMBER_ID);
    }
    if (group.is(ClassicGroupState.DEAD)) {
      return completeSync(future, Errors.COORDINATOR_NOT_AVAILABLE);
    }
    String memberId = request.memberId();
    Errors invalid = group.validateMember(memberId, request.groupInstanceId());
    if (invalid != Errors.NONE) {
      return completeSync(future, invalid);
    }
    if (request.generationId() != group.generationId()) {
      return completeSync(future, Errors.ILLEGAL_GENERATION);
    }
    if (inconsistent(request.protocolType(), group.protocolType())
        || inconsistent(request.protocolName(), group.protocolName())) {
      return completeSync(future, Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    switch (group.state()) {
      case PREPARING_REBALANCE:
        return completeSync(future, Errors.REBALANCE_IN_PROGRESS);
      case COMPLETING_REBALANCE:
        group.member(memberId).setAwaitingSync(future);
        removePendingSync(group, memberId);
        if (!group.isLeader(memberId)) {
          return CoordinatorResult.none();
        }
        // The leader computed the assignment client-side; persist it, then hand it out.
        Map<String, byte[]> assignment = new HashMap<>();
        for (SyncGroupRequestAssignment a : request.assignments()) {
          assignment.put(a.memberId(), a.assignment());
        }
        for (ClassicGroupMember member : group.members()) {
          assignment.putIfAbsent(member.memberId(), NO_BYTES);
        }
        int generation = group.generationId();
        return CoordinatorResult.persist(
            List.of(records.metadata(group, assignment)),
            () -> {
              if (group.is(ClassicGroupState.COMPLETING_REBALANCE)
                  && group.generationId() == generation) {
                for (ClassicGroupMember member : group.members()) {
                  member.setAssignment(assignment.getOrDefault(member.memberId(), NO_BYTES));
                }
                propagateAssignment(group, Errors.NONE);
                group.transitionTo(ClassicGroupState.STABLE, now());
                metrics.rebalanceCompleted(Math.max(0, now() - group.rebalanceStartedMs()));
              }
            });
      case STABLE:
        removePendingSync(group, memberId);
        future.complete(
            new SyncGroupResponseData()
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setAssignment(group.member(memberId).assignment()));
        return CoordinatorResult.none();
      default:
        return completeSync(future, Errors.UNKNOWN_MEMBER_ID);
    }
  }

  private void removePendingSync(ClassicGroup group, String memberId) {
    group.removePendingSync(memberId);
    if (group.pendingSyncMembers().isEmpty()) {
      timer.cancel(syncKey(group.groupId()));
    }
  }

  private void resetAssignmentsWithError(ClassicGroup group, Errors error) {
    group.members().forEach(m -> m.setAssignment(NO_BYTES));
    propagateAssignment(group, error);
  }

  private void propagateAssignment(ClassicGroup group, Errors error) {
    for (ClassicGroupMember member : group.members()) {
      SyncGroupResponseData response =
          new SyncGroupResponseData()
              .setProtocolType(error == Errors.NONE ? group.protocolType() : null)
              .setProtocolName(error == Errors.NONE ? group.protocolName() : null)
              .setAssignment(member.assignment())
              .setErrorCode(error.code());
      if (group.completeSync(member, response)) {
        scheduleHeartbeat(group, member, member.sessionTimeoutMs());
      }
    }
  }

  // ---------------------------------------------------------------- Heartbeat and LeaveGroup

  public CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
    metrics.heartbeat();
    ClassicGroup group = group(request.groupId());
    Errors error;
    if (group == null) {
      error = Errors.UNKNOWN_MEMBER_ID;
    } else if (group.is(ClassicGroupState.DEAD)) {
      error = Errors.COORDINATOR_NOT_AVAILABLE;
    } else {
      error = group.validateMember(request.memberId(), request.groupInstanceId());
      if (error == Errors.NONE && request.generationId() != group.generationId()) {
        error = Errors.ILLEGAL_GENERATION;
      }
      if (error == Errors.NONE) {
        switch (group.state()) {
          case EMPTY -> error = Errors.UNKNOWN_MEMBER_ID;
          case PREPARING_REBALANCE -> {
            scheduleHeartbeat(
                group, group.member(request.memberId()), sessionTimeout(group, request.memberId()));
            error = Errors.REBALANCE_IN_PROGRESS;
          }
          default ->
              scheduleHeartbeat(
                  group,
                  group.member(request.memberId()),
                  sessionTimeout(group, request.memberId()));
        }
      }
    }
    return CoordinatorResult.of(new HeartbeatResponseData().setErrorCode(error.code()));
  }

  private static int sessionTimeout(ClassicGroup group, String memberId) {
    return group.member(memberId).sessionTimeoutMs();
  }

  /** LeaveGroup, for one member (v0-2) or a batch (v3+, also by group.instance.id). */
  public CoordinatorResult<LeaveGroupResponseData> leave(
      String groupId, List<MemberIdentity> leaving) {
    ClassicGroup group = group(groupId);
    if (group == null) {
      return CoordinatorResult.of(
          new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    }
    if (group.is(ClassicGroupState.DEAD)) {
      return CoordinatorResult.of(
          new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
    }
    List<MemberResponse> responses = new ArrayList<>();
    boolean anyLeft = false;
    for (MemberIdentity identity : leaving) {
      MemberResponse response =
          new MemberResponse()
              .setMemberId(identity.memberId())
              .setGroupInstanceId(identity.groupInstanceId());
      Errors error = Errors.NONE;
      if (identity.memberId() == null || identity.memberId().isEmpty()) {
        String staticId =
            identity.groupInstanceId() == null
                ? null
                : group.staticMemberId(identity.groupInstanceId());
        if (staticId != null) {
          removeMember(group, staticId);
        } else {
          error = Errors.UNKNOWN_MEMBER_ID;
        }
      } else if (group.isPendingMember(identity.memberId())) {
        group.removePendingMember(identity.memberId());
        timer.cancel(heartbeatKey(groupId, identity.memberId()));
      } else {
        error = group.validateMember(identity.memberId(), identity.groupInstanceId());
        if (error == Errors.NONE) {
          removeMember(group, identity.memberId());
        }
      }
      anyLeft |= error == Errors.NONE;
      responses.add(response.setErrorCode(error.code()));
    }
    CoordinatorResult<Void> rebalance = CoordinatorResult.none();
    if (anyLeft) {
      rebalance =
          switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalanceOrCompleteJoin(group);
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group);
            default -> CoordinatorResult.none();
          };
    }
    return new CoordinatorResult<>(
        rebalance.records(),
        new LeaveGroupResponseData().setMembers(responses),
        rebalance.afterPersist());
  }

  private void removeMember(ClassicGroup group, String memberId) {
    ClassicGroupMember member = group.member(memberId);
    cancelHeartbeat(group.groupId(), member);
    group.completeJoin(
        member,
        new JoinGroupResponseData().setMemberId("").setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    group.remove(memberId);
  }

  // ---------------------------------------------------------------- session timeouts

  void scheduleHeartbeat(ClassicGroup group, ClassicGroupMember member, long timeoutMs) {
    // Heartbeats only move the deadline; the timer is re-armed lazily when it fires, which keeps
    // a heartbeat to a field write instead of a timer update.
    long deadline = now() + timeoutMs;
    member.setHeartbeatDeadlineMs(deadline);
    if (member.heartbeatTimerDueMs() == 0 || deadline < member.heartbeatTimerDueMs()) {
      armHeartbeatTimer(group.groupId(), member, timeoutMs);
    }
  }

  private void armHeartbeatTimer(String groupId, ClassicGroupMember member, long delayMs) {
    String memberId = member.memberId();
    member.setHeartbeatTimerDueMs(now() + delayMs);
    timer.schedule(
        heartbeatKey(groupId, memberId), delayMs, () -> heartbeatExpired(groupId, memberId));
  }

  void cancelHeartbeat(String groupId, ClassicGroupMember member) {
    if (member != null) {
      member.setHeartbeatTimerDueMs(0);
      timer.cancel(heartbeatKey(groupId, member.memberId()));
    }
  }

  CoordinatorResult<Void> heartbeatExpired(String groupId, String memberId) {
    ClassicGroup group = group(groupId);
    if (group == null || group.is(ClassicGroupState.DEAD)) {
      return CoordinatorResult.none();
    }
    if (group.isPendingMember(memberId)) {
      group.removePendingMember(memberId);
      return group.is(ClassicGroupState.PREPARING_REBALANCE) && group.allMembersJoined()
          ? completeJoinPhase(group)
          : CoordinatorResult.none();
    }
    ClassicGroupMember member = group.member(memberId);
    if (member == null) {
      return CoordinatorResult.none();
    }
    member.setHeartbeatTimerDueMs(0);
    long remaining = member.heartbeatDeadlineMs() - now();
    if (remaining > 0) {
      armHeartbeatTimer(groupId, member, remaining);
      return CoordinatorResult.none();
    }
    if (member.hasSatisfiedHeartbeat()) {
      return CoordinatorResult.none();
    }
    LOG.info("member {} of group {} timed out; removing it", memberId, groupId);
    metrics.memberTimedOut();
    group.completeJoin(
        member,
        new JoinGroupResponseData().setMemberId("").setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    group.remove(memberId);
    if (group.is(ClassicGroupState.STABLE) || group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
      return prepareRebalanceOrCompleteJoin(group);
    }
    if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.allMembersJoined()) {
      return completeJoinPhase(group);
    }
    return CoordinatorResult.none();
  }

  // ---------------------------------------------------------------- admin

  public DescribedGroup describe(String groupId, short version) {
    ClassicGroup group = group(groupId);
    if (group == null || group.is(ClassicGroupState.DEAD)) {
      return new DescribedGroup()
          .setGroupId(groupId)
          .setErrorCode(version >= 6 ? Errors.GROUP_ID_NOT_FOUND.code() : Errors.NONE.code())
          .setErrorMessage(version >= 6 ? "Group " + groupId + " not found." : null)
          .setGroupState(ClassicGroupState.DEAD.wireName())
          .setProtocolType("")
          .setProtocolData("")
          .setAuthorizedOperations(Integer.MIN_VALUE);
    }
    boolean stable = group.is(ClassicGroupState.STABLE);
    DescribedGroup described =
        new DescribedGroup()
            .setGroupId(groupId)
            .setGroupState(group.state().wireName())
            .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
            .setProtocolData(stable ? group.protocolName() : "")
            .setAuthorizedOperations(Integer.MIN_VALUE);
    for (ClassicGroupMember member : group.members()) {
      byte[] metadata = stable ? member.metadata(group.protocolName()) : null;
      described
          .members()
          .add(
              new DescribedGroupMember()
                  .setMemberId(member.memberId())
                  .setGroupInstanceId(member.groupInstanceId())
                  .setClientId(member.clientId())
                  .setClientHost(member.clientHost())
                  .setMemberMetadata(metadata == null ? NO_BYTES : metadata)
                  .setMemberAssignment(stable ? member.assignment() : NO_BYTES));
    }
    return described;
  }

  /** Removes an empty group (DeleteGroups, or its last offsets expired). */
  public void delete(ClassicGroup group, List<GroupRecord> out) {
    out.add(GroupRecord.groupTombstone(group.groupId()));
    group.transitionTo(ClassicGroupState.DEAD, now());
    groups.remove(group.groupId());
  }

  // ---------------------------------------------------------------- replay and loading

  /**
   * Applies a durable record of a classic group (a tombstone removes it). While loading, it also
   * rebuilds the group.
   */
  public void replay(GroupMetadataKey key, GroupRecord record, boolean loading) {
    String groupId = key.group();
    if (record.isTombstone()) {
      records.removed(groupId);
      return;
    }
    records.persisted(groupId, record);
    if (loading) {
      GroupMetadataValue value = (GroupMetadataValue) record.value();
      ClassicGroup group = group(groupId);
      if (group == null) {
        group = new ClassicGroup(groupId, value.currentStateTimestamp());
        groups.put(group);
      }
      records.restore(group, value);
    }
  }

  /** After replay: members restored from disk must heartbeat within their session timeout. */
  public void finishLoading() {
    for (ClassicGroup group : groups.all(ClassicGroup.class)) {
      for (ClassicGroupMember member : group.members()) {
        scheduleHeartbeat(group, member, member.sessionTimeoutMs());
      }
    }
  }

  /** The records a compacted log must hold for the classic groups. */
  public void snapshot(List<GroupRecord> out) {
    records.snapshot(out);
  }

  // ---------------------------------------------------------------- helpers

  long now() {
    return clock.getAsLong();
  }

  private static boolean inconsistent(String requested, String current) {
    return requested != null && current != null && !requested.equals(current);
  }

  private static CoordinatorResult<Void> completeSync(
      CompletableFuture<SyncGroupResponseData> future, Errors error) {
    future.complete(new SyncGroupResponseData().setErrorCode(error.code()));
    return CoordinatorResult.none();
  }

  static String heartbeatKey(String groupId, String memberId) {
    return "heartbeat/" + groupId + "/" + memberId;
  }

  static String joinKey(String groupId) {
    return "join/" + groupId;
  }

  static String syncKey(String groupId) {
    return "sync/" + groupId;
  }
}
