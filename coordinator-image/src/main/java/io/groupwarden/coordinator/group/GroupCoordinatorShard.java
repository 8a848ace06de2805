package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.group.GroupRecord.GroupMetadata;
import io.groupwarden.coordinator.group.GroupRecord.GroupRemoved;
import io.groupwarden.coordinator.group.GroupRecord.OffsetCommitted;
import io.groupwarden.coordinator.group.GroupRecord.OffsetRemoved;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol and committed offsets for the groups of one shard: pure logic, run on
 * one thread, with time and timers injected. Handlers change group membership in place and return
 * the records to persist; committed offsets change only when their records are replayed after they
 * are durable. Replaying the records of a shard's log rebuilds the same state.
 */
public final class GroupCoordinatorShard {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorShard.class);
  private static final byte[] NO_BYTES = new byte[0];
  public static final String CONSUMER_PROTOCOL_TYPE = "consumer";

  /** Who sent a request: used for member ids and for DescribeGroups. */
  public record Client(String clientId, String clientHost, short apiVersion) {}

  private final GroupConfig config;
  private final LongSupplier clock;
  private final GroupTimer timer;
  private final GroupMetrics metrics;
  private final Map<String, ClassicGroup> groups = new HashMap<>();
  private final CommittedOffsets offsets = new CommittedOffsets();
  private final Map<String, GroupMetadata> persistedGroups = new HashMap<>();
  private boolean loading;
  private volatile int groupCount;
  private volatile int memberCount;
  private volatile long offsetCount;

  public GroupCoordinatorShard(
      GroupConfig config, LongSupplier clock, GroupTimer timer, GroupMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.timer = timer;
    this.metrics = metrics;
  }

  // ---------------------------------------------------------------- JoinGroup

  public CoordinatorResult<Void> join(
      Client client,
      JoinGroupRequestData request,
      CompletableFuture<JoinGroupResponseData> future) {
    String groupId = request.groupId();
    String memberId = request.memberId();
    if (groupId == null || groupId.isEmpty()) {
      return completeJoin(future, memberId, Errors.INVALID_GROUP_ID);
    }
    if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
        || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
      return completeJoin(future, memberId, Errors.INVALID_SESSION_TIMEOUT);
    }
    boolean unknownMember = memberId.isEmpty();
    ClassicGroup group = groups.get(groupId);
    if (group == null) {
      if (!unknownMember) {
        return completeJoin(future, memberId, Errors.UNKNOWN_MEMBER_ID);
      }
      group = new ClassicGroup(groupId, now());
      groups.put(groupId, group);
    }
    if (!acceptsJoiningMember(group, memberId)) {
      return completeJoin(future, "", Errors.GROUP_MAX_SIZE_REACHED);
    }
    return unknownMember
        ? joinNewMember(client, request, group, future)
        : joinExistingMember(client, request, group, future);
  }

  private boolean acceptsJoiningMember(ClassicGroup group, String memberId) {
    return switch (group.state()) {
      case EMPTY, DEAD -> true;
      case PREPARING_REBALANCE ->
          (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
              || group.awaitingJoinCount() < config.maxSize();
      case COMPLETING_REBALANCE, STABLE ->
          group.hasMember(memberId) || group.size() < config.maxSize();
    };
  }

  private CoordinatorResult<Void> joinNewMember(
      Client client,
      JoinGroupRequestData request,
      ClassicGroup group,
      CompletableFuture<JoinGroupResponseData> future) {
    if (group.is(GroupState.DEAD)) {
      return completeJoin(future, "", Errors.COORDINATOR_NOT_AVAILABLE);
    }
    List<GroupMember.Protocol> protocols = protocols(request);
    if (!group.supportsProtocols(request.protocolType(), names(protocols))) {
      return completeJoin(future, "", Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    String instanceId = request.groupInstanceId();
    String newMemberId = ClassicGroup.newMemberId(client.clientId(), instanceId);
    if (instanceId != null) {
      String existing = group.staticMemberId(instanceId);
      return existing != null
          ? replaceStaticMember(client, request, group, existing, newMemberId, future)
          : addMemberAndRebalance(client, request, group, newMemberId, future);
    }
    if (JoinGroupRequest.requiresKnownMemberId(client.apiVersion())) {
      // KIP-394: hand out the id first, so a client that times out does not leave a ghost member.
      group.addPendingMember(newMemberId);
      String groupId = group.groupId();
      timer.schedule(
          heartbeatKey(groupId, newMemberId),
          request.sessionTimeoutMs(),
          () -> heartbeatExpired(groupId, newMemberId));
      future.complete(
          new JoinGroupResponseData()
              .setMemberId(newMemberId)
              .setErrorCode(Errors.MEMBER_ID_REQUIRED.code()));
      return CoordinatorResult.none();
    }
    return addMemberAndRebalance(client, request, group, newMemberId, future);
  }

  private CoordinatorResult<Void> joinExistingMember(
      Client client,
      JoinGroupRequestData request,
      ClassicGroup group,
      CompletableFuture<JoinGroupResponseData> future) {
    String memberId = request.memberId();
    if (group.is(GroupState.DEAD)) {
      return completeJoin(future, memberId, Errors.COORDINATOR_NOT_AVAILABLE);
    }
    List<GroupMember.Protocol> protocols = protocols(request);
    if (!group.supportsProtocols(request.protocolType(), names(protocols))) {
      return completeJoin(future, memberId, Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (group.isPendingMember(memberId)) {
      if (request.groupInstanceId() != null) {
        return completeJoin(future, memberId, Errors.INVALID_REQUEST);
      }
      return addMemberAndRebalance(client, request, group, memberId, future);
    }
    Errors invalid = group.validateMember(memberId, request.groupInstanceId());
    if (invalid != Errors.NONE) {
      return completeJoin(future, memberId, invalid);
    }
    GroupMember member = group.member(memberId);
    switch (group.state()) {
      case PREPARING_REBALANCE:
        return updateMemberAndRebalance(request, group, member, protocols, future);
      case COMPLETING_REBALANCE:
        if (member.sameProtocols(protocols)) {
          // The member missed our JoinGroup response: send it the current generation again.
          future.complete(currentGeneration(group, memberId, group.isLeader(memberId)));
          return CoordinatorResult.none();
        }
        return updateMemberAndRebalance(request, group, member, protocols, future);
      case STABLE:
        if (group.isLeader(memberId) || !member.sameProtocols(protocols)) {
          // A leader's JoinGroup asks for a new assignment (for example topics changed).
          return updateMemberAndRebalance(request, group, member, protocols, future);
        }
        future.complete(currentGeneration(group, memberId, false));
        return CoordinatorResult.none();
      default:
        return completeJoin(future, memberId, Errors.UNKNOWN_MEMBER_ID);
    }
  }

  private JoinGroupResponseData currentGeneration(
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

  private CoordinatorResult<Void> addMemberAndRebalance(
      Client client,
      JoinGroupRequestData request,
      ClassicGroup group,
      String memberId,
      CompletableFuture<JoinGroupResponseData> future) {
    GroupMember member =
        new GroupMember(
            memberId,
            request.groupInstanceId(),
            client.clientId(),
            client.clientHost(),
            rebalanceTimeout(request),
            request.sessionTimeoutMs(),
            request.protocolType(),
            protocols(request));
    member.setNew(true);
    if (group.is(GroupState.PREPARING_REBALANCE) && group.previousState() == GroupState.EMPTY) {
      group.setNewMemberAdded(true);
    }
    group.add(member, future);
    // A new member cannot heartbeat while its JoinGroup is parked; bound how long it may wait.
    scheduleHeartbeat(group, member, config.newMemberJoinTimeoutMs());
    return prepareRebalanceOrCompleteJoin(group);
  }

  private CoordinatorResult<Void> updateMemberAndRebalance(
      JoinGroupRequestData request,
      ClassicGroup group,
      GroupMember member,
      List<GroupMember.Protocol> protocols,
      CompletableFuture<JoinGroupResponseData> future) {
    group.updateMember(
        member, protocols, rebalanceTimeout(request), request.sessionTimeoutMs(), future);
    return prepareRebalanceOrCompleteJoin(group);
  }

  /**
   * A static member that restarted joins with no member id: it takes over its old identity and, if
   * nothing that matters changed, gets its old assignment back without a rebalance.
   */
  private CoordinatorResult<Void> replaceStaticMember(
      Client client,
      JoinGroupRequestData request,
      ClassicGroup group,
      String oldMemberId,
      String newMemberId,
      CompletableFuture<JoinGroupResponseData> future) {
    String previousLeader = group.leaderId();
    cancelHeartbeat(group.groupId(), group.member(oldMemberId));
    GroupMember member =
        group.replaceStaticMember(request.groupInstanceId(), oldMemberId, newMemberId);
    scheduleHeartbeat(group, member, member.sessionTimeoutMs());
    group.updateMember(
        member, protocols(request), rebalanceTimeout(request), request.sessionTimeoutMs(), future);
    switch (group.state()) {
      case STABLE:
        if (group.selectProtocol().equals(group.protocolName())) {
          boolean skipAssignment = JoinGroupRequest.supportsSkippingAssignment(client.apiVersion());
          int generation = group.generationId();
          return CoordinatorResult.persist(
              List.of(groupMetadataRecord(group, group.assignments())),
              () -> {
                boolean leader = group.isLeader(newMemberId);
                JoinGroupResponseData response =
                    new JoinGroupResponseData()
                        .setMemberId(newMemberId)
                        .setGenerationId(generation)
                        .setProtocolName(group.protocolName())
                        .setProtocolType(group.protocolType());
                if (skipAssignment) {
                  response
                      .setMembers(leader ? group.joinResponseMembers() : List.of())
                      .setLeader(group.leaderId())
                      .setSkipAssignment(leader);
                } else {
                  // An older client would recompute the assignment if told it leads.
                  response.setLeader(previousLeader).setSkipAssignment(false);
                }
                group.completeJoin(member, response);
              });
        }
        return prepareRebalanceOrCompleteJoin(group);
      case COMPLETING_REBALANCE:
        // The leader may have computed an assignment for the old member id: start over.
        return prepareRebalance(group);
      case PREPARING_REBALANCE:
        return maybeCompleteJoinPhase(group);
      default:
        throw new IllegalStateException(
            "static member of group " + group.groupId() + " in state " + group.state());
    }
  }

  private CoordinatorResult<Void> prepareRebalanceOrCompleteJoin(ClassicGroup group) {
    return group.canRebalance() ? prepareRebalance(group) : maybeCompleteJoinPhase(group);
  }

  private CoordinatorResult<Void> prepareRebalance(ClassicGroup group) {
    if (group.is(GroupState.COMPLETING_REBALANCE)) {
      resetAssignmentsWithError(group, Errors.REBALANCE_IN_PROGRESS);
    }
    group.clearPendingSync();
    timer.cancel(syncKey(group.groupId()));
    boolean initial = group.is(GroupState.EMPTY);
    String groupId = group.groupId();
    if (initial && config.initialRebalanceDelayMs() == 0) {
      // No initial delay: the first join completes the phase at once, as a timer of 0 ms would.
      group.transitionTo(GroupState.PREPARING_REBALANCE, now());
      return completeJoinPhase(group);
    }
    if (initial) {
      int delay = config.initialRebalanceDelayMs();
      int remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      timer.schedule(joinKey(groupId), delay, () -> initialDelayElapsed(groupId, delay, remaining));
    }
    group.transitionTo(GroupState.PREPARING_REBALANCE, now());
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
    ClassicGroup group = groups.get(groupId);
    if (group == null || !group.is(GroupState.PREPARING_REBALANCE)) {
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
    ClassicGroup group = groups.get(groupId);
    return group == null || !group.is(GroupState.PREPARING_REBALANCE)
        ? CoordinatorResult.none()
        : completeJoinPhase(group);
  }

  private CoordinatorResult<Void> maybeCompleteJoinPhase(ClassicGroup group) {
    if (!group.is(GroupState.PREPARING_REBALANCE)
        || group.previousState() == GroupState.EMPTY
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
    for (GroupMember member : group.notYetRejoined()) {
      if (!member.isStatic()) {
        cancelHeartbeat(groupId, member);
        group.remove(member.memberId());
      }
    }
    if (group.is(GroupState.DEAD)) {
      return CoordinatorResult.none();
    }
    if (!group.electJoinedLeader() && group.size() > 0) {
      timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () -> joinTimedOut(groupId));
      return CoordinatorResult.none();
    }
    group.initNextGeneration(now());
    if (group.is(GroupState.EMPTY)) {
      return CoordinatorResult.persist(List.of(groupMetadataRecord(group, Map.of())), () -> {});
    }
    for (GroupMember member : group.members()) {
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
    ClassicGroup group = groups.get(groupId);
    if (group == null
        || group.generationId() != generation
        || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))
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
    ClassicGroup group = groups.get(request.groupId());
    if (group == null || group.is(GroupState.EMPTY)) {
      return completeSync(future, Errors.UNKNOWN_MEMBER_ID);
    }
    if (group.is(GroupState.DEAD)) {
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
        for (GroupMember member : group.members()) {
          assignment.putIfAbsent(member.memberId(), NO_BYTES);
        }
        int generation = group.generationId();
        return CoordinatorResult.persist(
            List.of(groupMetadataRecord(group, assignment)),
            () -> {
              if (group.is(GroupState.COMPLETING_REBALANCE) && group.generationId() == generation) {
                for (GroupMember member : group.members()) {
                  member.setAssignment(assignment.getOrDefault(member.memberId(), NO_BYTES));
                }
                propagateAssignment(group, Errors.NONE);
                group.transitionTo(GroupState.STABLE, now());
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
    for (GroupMember member : group.members()) {
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
    ClassicGroup group = groups.get(request.groupId());
    Errors error;
    if (group == null) {
      error = Errors.UNKNOWN_MEMBER_ID;
    } else if (group.is(GroupState.DEAD)) {
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
    ClassicGroup group = groups.get(groupId);
    if (group == null) {
      return CoordinatorResult.of(
          new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    }
    if (group.is(GroupState.DEAD)) {
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
    GroupMember member = group.member(memberId);
    cancelHeartbeat(group.groupId(), member);
    group.completeJoin(
        member,
        new JoinGroupResponseData().setMemberId("").setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    group.remove(memberId);
  }

  // ---------------------------------------------------------------- session timeouts

  private void scheduleHeartbeat(ClassicGroup group, GroupMember member, long timeoutMs) {
    // Heartbeats only move the deadline; the timer is re-armed lazily when it fires, which keeps
    // a heartbeat to a field write instead of a timer update.
    long deadline = now() + timeoutMs;
    member.setHeartbeatDeadlineMs(deadline);
    if (member.heartbeatTimerDueMs() == 0 || deadline < member.heartbeatTimerDueMs()) {
      armHeartbeatTimer(group.groupId(), member, timeoutMs);
    }
  }

  private void armHeartbeatTimer(String groupId, GroupMember member, long delayMs) {
    String memberId = member.memberId();
    member.setHeartbeatTimerDueMs(now() + delayMs);
    timer.schedule(
        heartbeatKey(groupId, memberId), delayMs, () -> heartbeatExpired(groupId, memberId));
  }

  private void cancelHeartbeat(String groupId, GroupMember member) {
    if (member != null) {
      member.setHeartbeatTimerDueMs(0);
      timer.cancel(heartbeatKey(groupId, member.memberId()));
    }
  }

  private CoordinatorResult<Void> heartbeatExpired(String groupId, String memberId) {
    ClassicGroup group = groups.get(groupId);
    if (group == null || group.is(GroupState.DEAD)) {
      return CoordinatorResult.none();
    }
    if (group.isPendingMember(memberId)) {
      group.removePendingMember(memberId);
      return group.is(GroupState.PREPARING_REBALANCE) && group.allMembersJoined()
          ? completeJoinPhase(group)
          : CoordinatorResult.none();
    }
    GroupMember member = group.member(memberId);
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
    if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
      return prepareRebalanceOrCompleteJoin(group);
    }
    if (group.is(GroupState.PREPARING_REBALANCE) && group.allMembersJoined()) {
      return completeJoinPhase(group);
    }
    return CoordinatorResult.none();
  }

  // ---------------------------------------------------------------- offsets

  public CoordinatorResult<OffsetCommitResponseData> commitOffsets(
      Client client, OffsetCommitRequestData request) {
    Errors error = Errors.NONE;
    String groupId = request.groupId();
    ClassicGroup group = groups.get(groupId);
    if (groupId == null || groupId.isEmpty()) {
      error = Errors.INVALID_GROUP_ID;
    } else if (group == null) {
      if (request.generationIdOrMemberEpoch() < 0) {
        // An admin client or a consumer without group management: a "simple" group.
        group = new ClassicGroup(groupId, now());
        groups.put(groupId, group);
      } else {
        error = client.apiVersion() >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
      }
    } else {
      error =
          validateOffsetCommit(
              group,
              request.memberId(),
              request.groupInstanceId(),
              request.generationIdOrMemberEpoch());
    }
    long now = now();
    long expireTimestamp =
        client.apiVersion() <= 4 && request.retentionTimeMs() >= 0
            ? now + request.retentionTimeMs()
            : -1;
    OffsetCommitResponseData response = new OffsetCommitResponseData();
    List<GroupRecord> records = new ArrayList<>();
    for (OffsetCommitRequestTopic topic : request.topics()) {
      OffsetCommitResponseTopic topicResponse =
          new OffsetCommitResponseTopic().setName(topic.name());
      for (OffsetCommitRequestPartition partition : topic.partitions()) {
        Errors partitionError = error;
        if (error == Errors.NONE) {
          String metadata =
              partition.committedMetadata() == null ? "" : partition.committedMetadata();
          if (metadata.length() > config.offsetMetadataMaxBytes()) {
            partitionError = Errors.OFFSET_METADATA_TOO_LARGE;
          } else {
            records.add(
                new OffsetCommitted(
                    groupId,
                    topic.name(),
                    partition.partitionIndex(),
                    partition.committedOffset(),
                    partition.committedLeaderEpoch(),
                    metadata,
                    now,
                    expireTimestamp));
          }
        }
        topicResponse
            .partitions()
            .add(
                new OffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(partitionError.code()));
      }
      response.topics().add(topicResponse);
    }
    if (!records.isEmpty()) {
      metrics.offsetsCommitted(records.size());
    }
    return CoordinatorResult.of(records, response);
  }

  private static Errors validateOffsetCommit(
      ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
    if (group.is(GroupState.DEAD)) {
      return Errors.COORDINATOR_NOT_AVAILABLE;
    }
    if (generationId < 0 && group.is(GroupState.EMPTY)) {
      return Errors.NONE;
    }
    if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
      Errors invalid = group.validateMember(memberId, groupInstanceId);
      if (invalid != Errors.NONE) {
        return invalid;
      }
      if (generationId != group.generationId()) {
        return Errors.ILLEGAL_GENERATION;
      }
    } else if (!group.is(GroupState.EMPTY)) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    return group.is(GroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
  }

  /** Committed offsets of a group: all of them when {@code topics} is null. */
  public OffsetFetchResponseGroup fetchOffsets(
      String groupId, List<OffsetFetchRequestTopics> topics) {
    OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(groupId);
    ClassicGroup group = groups.get(groupId);
    if (group != null && group.is(GroupState.DEAD)) {
      return response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
    }
    return response.setTopics(offsets.fetch(groupId, topics));
  }

  public CoordinatorResult<OffsetDeleteResponseData> deleteOffsets(
      OffsetDeleteRequestData request) {
    ClassicGroup group = groups.get(request.groupId());
    OffsetDeleteResponseData response = new OffsetDeleteResponseData();
    if (group == null || group.is(GroupState.DEAD)) {
      return CoordinatorResult.of(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
    }
    boolean active = !group.is(GroupState.EMPTY);
    if (active && !CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
      return CoordinatorResult.of(response.setErrorCode(Errors.NON_EMPTY_GROUP.code()));
    }
    Set<String> subscribed = active ? subscribedTopics(group) : Set.of();
    Map<TopicPartition, OffsetAndMetadata> committed = offsets.of(request.groupId());
    List<GroupRecord> records = new ArrayList<>();
    for (OffsetDeleteRequestTopic topic : request.topics()) {
      OffsetDeleteResponseTopic topicResponse =
          new OffsetDeleteResponseTopic().setName(topic.name());
      for (OffsetDeleteRequestPartition partition : topic.partitions()) {
        Errors error = Errors.NONE;
        if (subscribed.contains(topic.name())) {
          error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
        } else if (committed.containsKey(
            new TopicPartition(topic.name(), partition.partitionIndex()))) {
          records.add(
              new OffsetRemoved(request.groupId(), topic.name(), partition.partitionIndex()));
        }
        topicResponse
            .partitions()
            .add(
                new OffsetDeleteResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code()));
      }
      response.topics().add(topicResponse);
    }
    return CoordinatorResult.of(records, response);
  }

  private static Set<String> subscribedTopics(ClassicGroup group) {
    Set<String> topics = new HashSet<>();
    for (GroupMember member : group.members()) {
      byte[] metadata = member.metadata(group.protocolName());
      if (metadata == null) {
        continue;
      }
      try {
        topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics());
      } catch (RuntimeException e) {
        LOG.debug("unreadable subscription of {} in {}", member.memberId(), group.groupId());
      }
    }
    return topics;
  }

  /** Removes offsets past their retention and empty groups left without offsets. */
  public CoordinatorResult<Void> expireOffsets() {
    long now = now();
    List<GroupRecord> records = new ArrayList<>();
    for (ClassicGroup group : new ArrayList<>(groups.values())) {
      String groupId = group.groupId();
      Map<TopicPartition, OffsetAndMetadata> committed = offsets.of(groupId);
      int kept = 0;
      for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
        OffsetAndMetadata om = entry.getValue();
        boolean expired;
        if (om.expireTimestamp() >= 0) {
          expired = now >= om.expireTimestamp();
        } else if (group.protocolType() == null) {
          expired = now - om.commitTimestamp() >= config.offsetsRetentionMs();
        } else {
          expired =
              group.is(GroupState.EMPTY)
                  && now - group.stateTimestampMs() >= config.offsetsRetentionMs();
        }
        if (expired) {
          records.add(
              new OffsetRemoved(groupId, entry.getKey().topic(), entry.getKey().partition()));
        } else {
          kept++;
        }
      }
      if (group.is(GroupState.EMPTY) && kept == 0) {
        records.add(new GroupRemoved(groupId));
        group.transitionTo(GroupState.DEAD, now);
        groups.remove(groupId);
      }
    }
    return CoordinatorResult.persist(records, () -> {});
  }

  // ---------------------------------------------------------------- admin

  public DescribedGroup describe(String groupId, short version) {
    ClassicGroup group = groups.get(groupId);
    if (group == null || group.is(GroupState.DEAD)) {
      return new DescribedGroup()
          .setGroupId(groupId)
          .setErrorCode(version >= 6 ? Errors.GROUP_ID_NOT_FOUND.code() : Errors.NONE.code())
          .setErrorMessage(version >= 6 ? "Group " + groupId + " not found." : null)
          .setGroupState(GroupState.DEAD.wireName())
          .setProtocolType("")
          .setProtocolData("")
          .setAuthorizedOperations(Integer.MIN_VALUE);
    }
    boolean stable = group.is(GroupState.STABLE);
    DescribedGroup described =
        new DescribedGroup()
            .setGroupId(groupId)
            .setGroupState(group.state().wireName())
            .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
            .setProtocolData(stable ? group.protocolName() : "")
            .setAuthorizedOperations(Integer.MIN_VALUE);
    for (GroupMember member : group.members()) {
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

  public List<ListedGroup> list(Set<String> statesFilter, Set<String> typesFilter) {
    List<ListedGroup> listed = new ArrayList<>();
    if (!typesFilter.isEmpty() && !typesFilter.contains("classic")) {
      return listed;
    }
    for (ClassicGroup group : groups.values()) {
      String state = group.state().wireName();
      if (group.is(GroupState.DEAD)
          || (!statesFilter.isEmpty() && !statesFilter.contains(state.toLowerCase(Locale.ROOT)))) {
        continue;
      }
      listed.add(
          new ListedGroup()
              .setGroupId(group.groupId())
              .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
              .setGroupState(state)
              .setGroupType("classic"));
    }
    return listed;
  }

  public CoordinatorResult<List<DeletableGroupResult>> deleteGroups(List<String> groupIds) {
    List<DeletableGroupResult> results = new ArrayList<>();
    List<GroupRecord> records = new ArrayList<>();
    for (String groupId : groupIds) {
      ClassicGroup group = groups.get(groupId);
      Errors error = Errors.NONE;
      if (group == null || group.is(GroupState.DEAD)) {
        error = Errors.GROUP_ID_NOT_FOUND;
      } else if (!group.is(GroupState.EMPTY)) {
        error = Errors.NON_EMPTY_GROUP;
      } else {
        offsets
            .of(groupId)
            .keySet()
            .forEach(tp -> records.add(new OffsetRemoved(groupId, tp.topic(), tp.partition())));
        records.add(new GroupRemoved(groupId));
        group.transitionTo(GroupState.DEAD, now());
        groups.remove(groupId);
      }
      results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
    }
    return CoordinatorResult.of(records, results);
  }

  /** The group's view for the HTTP API: null when unknown. */
  public ClassicGroup group(String groupId) {
    return groups.get(groupId);
  }

  public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
    return Map.copyOf(offsets.of(groupId));
  }

  // ---------------------------------------------------------------- replay and snapshots

  /** Applies a durable record. While loading, group records also rebuild the groups. */
  public void replay(GroupRecord record) {
    if (record instanceof OffsetCommitted c) {
      if (!groups.containsKey(c.groupId())) {
        // Offsets without group metadata belong to a "simple" group (commits without membership).
        groups.put(c.groupId(), new ClassicGroup(c.groupId(), c.commitTimestamp()));
      }
      offsets.apply(c);
    } else if (record instanceof OffsetRemoved r) {
      offsets.apply(r);
    } else if (record instanceof GroupMetadata g) {
      persistedGroups.put(g.groupId(), g);
      if (loading) {
        restore(g);
      }
    } else if (record instanceof GroupRemoved r) {
      persistedGroups.remove(r.groupId());
      offsets.removeGroup(r.groupId());
      if (loading) {
        groups.remove(r.groupId());
      }
    }
  }

  private void restore(GroupMetadata g) {
    ClassicGroup group =
        groups.computeIfAbsent(g.groupId(), id -> new ClassicGroup(id, g.stateTimestamp()));
    List<GroupMember> members = new ArrayList<>();
    for (GroupRecord.Member m : g.members()) {
      List<GroupMember.Protocol> protocols = new ArrayList<>();
      for (int i = 0; i < m.protocolNames().size(); i++) {
        protocols.add(
            new GroupMember.Protocol(m.protocolNames().get(i), m.protocolMetadata().get(i)));
      }
      GroupMember member =
          new GroupMember(
              m.memberId(),
              m.groupInstanceId(),
              m.clientId(),
              m.clientHost(),
              m.rebalanceTimeoutMs(),
              m.sessionTimeoutMs(),
              g.protocolType(),
              protocols);
      member.setAssignment(m.assignment());
      members.add(member);
    }
    group.restore(
        g.generationId(),
        g.protocolType(),
        g.protocolName(),
        g.leaderId(),
        g.stateTimestamp(),
        members);
  }

  public void startLoading() {
    loading = true;
  }

  /** After replay: members restored from disk must heartbeat within their session timeout. */
  public void finishLoading() {
    loading = false;
    for (ClassicGroup group : groups.values()) {
      for (GroupMember member : group.members()) {
        scheduleHeartbeat(group, member, member.sessionTimeoutMs());
      }
    }
    refreshStats();
  }

  /** The state as records: what a compacted log must hold. */
  public List<GroupRecord> snapshot() {
    List<GroupRecord> records = new ArrayList<>(persistedGroups.values());
    records.addAll(offsets.asRecords());
    return records;
  }

  private GroupMetadata groupMetadataRecord(ClassicGroup group, Map<String, byte[]> assignment) {
    List<GroupRecord.Member> members = new ArrayList<>();
    for (GroupMember m : group.members()) {
      List<String> names = new ArrayList<>();
      List<byte[]> metadata = new ArrayList<>();
      for (GroupMember.Protocol p : m.protocols()) {
        names.add(p.name());
        metadata.add(p.metadata());
      }
      members.add(
          new GroupRecord.Member(
              m.memberId(),
              m.groupInstanceId(),
              m.clientId(),
              m.clientHost(),
              m.rebalanceTimeoutMs(),
              m.sessionTimeoutMs(),
              names,
              metadata,
              assignment.getOrDefault(m.memberId(), NO_BYTES)));
    }
    return new GroupMetadata(
        group.groupId(),
        group.protocolType(),
        group.generationId(),
        group.protocolName(),
        group.leaderId(),
        group.stateTimestampMs(),
        members);
  }

  /** Updates the counts the metrics read from other threads. */
  public void refreshStats() {
    int members = 0;
    int live = 0;
    for (ClassicGroup group : groups.values()) {
      if (!group.is(GroupState.DEAD)) {
        live++;
        members += group.size();
      }
    }
    long committed = offsets.count();
    groupCount = live;
    memberCount = members;
    offsetCount = committed;
  }

  public int groupCount() {
    return groupCount;
  }

  public int memberCount() {
    return memberCount;
  }

  public long offsetCount() {
    return offsetCount;
  }

  // ---------------------------------------------------------------- helpers

  private long now() {
    return clock.getAsLong();
  }

  private static int rebalanceTimeout(JoinGroupRequestData request) {
    return request.rebalanceTimeoutMs() > 0
        ? request.rebalanceTimeoutMs()
        : request.sessionTimeoutMs();
  }

  private static List<GroupMember.Protocol> protocols(JoinGroupRequestData request) {
    List<GroupMember.Protocol> protocols = new ArrayList<>();
    for (JoinGroupRequestProtocol p : request.protocols()) {
      protocols.add(new GroupMember.Protocol(p.name(), p.metadata()));
    }
    return protocols;
  }

  private static List<String> names(List<GroupMember.Protocol> protocols) {
    List<String> names = new ArrayList<>();
    protocols.forEach(p -> names.add(p.name()));
    return names;
  }

  private static boolean inconsistent(String requested, String current) {
    return requested != null && current != null && !requested.equals(current);
  }

  private static CoordinatorResult<Void> completeJoin(
      CompletableFuture<JoinGroupResponseData> future, String memberId, Errors error) {
    future.complete(new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code()));
    return CoordinatorResult.none();
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
