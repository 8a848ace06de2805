package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.CoordinatorResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The rebalance of a classic group: the join phase (the initial delay, waiting for members to
 * rejoin, a new generation with its JoinGroup responses) and the sync phase (the leader's
 * assignment persisted and handed out, members that never asked for theirs dropped). Joins that set
 * a rebalance off are {@link ClassicJoinHandler}'s; session timeouts are {@link
 * ClassicGroupManager}'s.
 */
record ClassicRebalance(ClassicGroupManager manager) {
  private static final byte[] NO_BYTES = new byte[0];

  static JoinGroupResponseData currentGeneration(
      ClassicGroup group, String memberId, boolean withMembers) {
    return new JoinGroupResponseData()
        .setMembers(withMembers ? joinResponseMembers(group) : List.of())
        .setMemberId(memberId)
        .setGenerationId(group.generationId())
        .setProtocolName(group.protocolName())
        .setProtocolType(group.protocolType())
        .setLeader(group.leaderId())
        .setSkipAssignment(false);
  }

  /** The member list a leader receives in its JoinGroup response. */
  static List<JoinGroupResponseMember> joinResponseMembers(ClassicGroup group) {
    List<JoinGroupResponseMember> list = new ArrayList<>();
    for (ClassicGroupMember member : group.members()) {
      list.add(
          new JoinGroupResponseMember()
              .setMemberId(member.memberId())
              .setGroupInstanceId(member.groupInstanceId())
              .setMetadata(member.metadata(group.protocolName())));
    }
    return list;
  }

  CoordinatorResult<Void> prepareRebalanceOrCompleteJoin(ClassicGroup group) {
    return group.canRebalance() ? prepareRebalance(group) : maybeCompleteJoinPhase(group);
  }

  CoordinatorResult<Void> prepareRebalance(ClassicGroup group) {
    if (group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
      resetAssignmentsWithError(group, Errors.REBALANCE_IN_PROGRESS);
    }
    group.pendingSyncs().clear();
    manager.context.timer().cancel(syncKey(group.groupId()));
    boolean initial = group.is(ClassicGroupState.EMPTY);
    String groupId = group.groupId();
    if (initial && manager.context.config().initialRebalanceDelayMs() == 0) {
      // No initial delay: the first join completes the phase at once, as a timer of 0 ms would.
      group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, manager.now());
      return completeJoinPhase(group);
    }
    if (initial) {
      int delay = manager.context.config().initialRebalanceDelayMs();
      int remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      manager
          .context
          .timer()
          .schedule(joinKey(groupId), delay, () -> initialDelayElapsed(groupId, delay, remaining));
    }
    group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, manager.now());
    return initial ? CoordinatorResult.none() : completeJoinOrWait(group);
  }

  private CoordinatorResult<Void> completeJoinOrWait(ClassicGroup group) {
    if (group.allMembersJoined()) {
      return completeJoinPhase(group);
    }
    String groupId = group.groupId();
    manager
        .context
        .timer()
        .schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () -> joinTimedOut(groupId));
    return CoordinatorResult.none();
  }

  /**
   * The initial delay: wait for more members while they keep coming, up to the rebalance timeout.
   */
  private CoordinatorResult<Void> initialDelayElapsed(String groupId, int delay, int remaining) {
    ClassicGroup group = manager.group(groupId);
    if (group == null || !group.is(ClassicGroupState.PREPARING_REBALANCE)) {
      return CoordinatorResult.none();
    }
    if (group.newMemberAdded() && remaining != 0) {
      group.setNewMemberAdded(false);
      int nextDelay = Math.min(manager.context.config().initialRebalanceDelayMs(), remaining);
      int nextRemaining = Math.max(remaining - delay, 0);
      manager
          .context
          .timer()
          .schedule(
              joinKey(groupId),
              nextDelay,
              () -> initialDelayElapsed(groupId, nextDelay, nextRemaining));
      return CoordinatorResult.none();
    }
    return completeJoinPhase(group);
  }

  private CoordinatorResult<Void> joinTimedOut(String groupId) {
    ClassicGroup group = manager.group(groupId);
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
  CoordinatorResult<Void> completeJoinPhase(ClassicGroup group) {
    String groupId = group.groupId();
    manager.context.timer().cancel(joinKey(groupId));
    for (ClassicGroupMember member : List.copyOf(group.members())) {
      if (!member.isAwaitingJoin() && !member.isStatic()) {
        manager.cancelHeartbeat(groupId, member);
        group.remove(member.memberId());
      }
    }
    if (group.is(ClassicGroupState.DEAD)) {
      return CoordinatorResult.none();
    }
    if (!group.electJoinedLeader() && group.size() > 0) {
      manager
          .context
          .timer()
          .schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () -> joinTimedOut(groupId));
      return CoordinatorResult.none();
    }
    group.initNextGeneration(manager.now());
    if (group.is(ClassicGroupState.EMPTY)) {
      return CoordinatorResult.persist(
          List.of(manager.records.metadata(group, Map.of())), () -> {});
    }
    for (ClassicGroupMember member : group.members()) {
      boolean leader = group.isLeader(member.memberId());
      group.completeJoin(member, currentGeneration(group, member.memberId(), leader));
      manager.scheduleHeartbeat(group, member, member.sessionTimeoutMs());
      member.setNew(false);
      group.pendingSyncs().add(member.memberId());
    }
    int generation = group.generationId();
    manager
        .context
        .timer()
        .schedule(
            syncKey(groupId), group.rebalanceTimeoutMs(), () -> syncTimedOut(groupId, generation));
    return CoordinatorResult.none();
  }

  /** Members that got a generation but never asked for their assignment are dropped. */
  private CoordinatorResult<Void> syncTimedOut(String groupId, int generation) {
    ClassicGroup group = manager.group(groupId);
    if (group == null
        || group.generationId() != generation
        || !(group.is(ClassicGroupState.COMPLETING_REBALANCE) || group.is(ClassicGroupState.STABLE))
        || group.pendingSyncs().isEmpty()) {
      return CoordinatorResult.none();
    }
    for (String memberId : new ArrayList<>(group.pendingSyncs())) {
      manager.cancelHeartbeat(groupId, group.member(memberId));
      group.remove(memberId);
    }
    return prepareRebalance(group);
  }

  // ---------------------------------------------------------------- SyncGroup

  CoordinatorResult<Void> sync(
      SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> future) {
    ClassicGroup group = manager.group(request.groupId());
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
            List.of(manager.records.metadata(group, assignment)),
            () -> {
              if (group.is(ClassicGroupState.COMPLETING_REBALANCE)
                  && group.generationId() == generation) {
                for (ClassicGroupMember member : group.members()) {
                  member.setAssignment(assignment.getOrDefault(member.memberId(), NO_BYTES));
                }
                propagateAssignment(group, Errors.NONE);
                group.transitionTo(ClassicGroupState.STABLE, manager.now());
                manager
                    .context
                    .metrics()
                    .rebalanceCompleted(Math.max(0, manager.now() - group.rebalanceStartedMs()));
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
    group.pendingSyncs().remove(memberId);
    if (group.pendingSyncs().isEmpty()) {
      manager.context.timer().cancel(syncKey(group.groupId()));
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
        manager.scheduleHeartbeat(group, member, member.sessionTimeoutMs());
      }
    }
  }

  private static boolean inconsistent(String requested, String current) {
    return requested != null && current != null && !requested.equals(current);
  }

  private static CoordinatorResult<Void> completeSync(
      CompletableFuture<SyncGroupResponseData> future, Errors error) {
    future.complete(new SyncGroupResponseData().setErrorCode(error.code()));
    return CoordinatorResult.none();
  }

  static String joinKey(String groupId) {
    return "join/" + groupId;
  }

  static String syncKey(String groupId) {
    return "sync/" + groupId;
  }
}
