package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupContext;
import io.groupwarden.coordinator.group.GroupRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  final GroupContext context;
  final ClassicGroupRecords records = new ClassicGroupRecords();
  final ClassicRebalance rebalance;
  private final ClassicJoinHandler joins;
  private final ClassicGroupConversion conversion;

  public ClassicGroupManager(GroupContext context) {
    this.context = context;
    this.rebalance = new ClassicRebalance(this);
    this.joins = new ClassicJoinHandler(this);
    this.conversion = new ClassicGroupConversion(this);
  }

  /** Releases and takes over classic groups in a conversion to or from a consumer group. */
  public ClassicGroupConversion conversion() {
    return conversion;
  }

  /** The classic group with this id, or null (also when the id names a group of another type). */
  public ClassicGroup group(String groupId) {
    return context.groups().get(groupId, ClassicGroup.class);
  }

  /** The group of an offset commit without membership (an admin, or manual assignment). */
  public ClassicGroup getOrCreateSimpleGroup(String groupId) {
    ClassicGroup group = group(groupId);
    if (group == null) {
      group = new ClassicGroup(groupId, now());
      context.groups().put(group);
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

  // ---------------------------------------------------------------- SyncGroup

  public CoordinatorResult<Void> sync(
      Client client,
      SyncGroupRequestData request,
      CompletableFuture<SyncGroupResponseData> future) {
    return rebalance.sync(request, future);
  }

  // ---------------------------------------------------------------- Heartbeat and LeaveGroup

  public CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
    context.metrics().heartbeat();
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
      } else if (group.pendingJoins().contains(identity.memberId())) {
        group.pendingJoins().remove(identity.memberId());
        context.timer().cancel(heartbeatKey(groupId, identity.memberId()));
      } else {
        error = group.validateMember(identity.memberId(), identity.groupInstanceId());
        if (error == Errors.NONE) {
          removeMember(group, identity.memberId());
        }
      }
      anyLeft |= error == Errors.NONE;
      responses.add(response.setErrorCode(error.code()));
    }
    CoordinatorResult<Void> followUp = CoordinatorResult.none();
    if (anyLeft) {
      followUp =
          switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> rebalance.prepareRebalanceOrCompleteJoin(group);
            case PREPARING_REBALANCE -> rebalance.maybeCompleteJoinPhase(group);
            default -> CoordinatorResult.none();
          };
    }
    return new CoordinatorResult<>(
        followUp.records(),
        new LeaveGroupResponseData().setMembers(responses),
        followUp.afterPersist());
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
    context
        .timer()
        .schedule(
            heartbeatKey(groupId, memberId), delayMs, () -> heartbeatExpired(groupId, memberId));
  }

  void cancelHeartbeat(String groupId, ClassicGroupMember member) {
    if (member != null) {
      member.setHeartbeatTimerDueMs(0);
      context.timer().cancel(heartbeatKey(groupId, member.memberId()));
    }
  }

  CoordinatorResult<Void> heartbeatExpired(String groupId, String memberId) {
    ClassicGroup group = group(groupId);
    if (group == null || group.is(ClassicGroupState.DEAD)) {
      return CoordinatorResult.none();
    }
    if (group.pendingJoins().contains(memberId)) {
      group.pendingJoins().remove(memberId);
      return group.is(ClassicGroupState.PREPARING_REBALANCE) && group.allMembersJoined()
          ? rebalance.completeJoinPhase(group)
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
    context.metrics().memberTimedOut();
    group.completeJoin(
        member,
        new JoinGroupResponseData().setMemberId("").setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    group.remove(memberId);
    if (group.is(ClassicGroupState.STABLE) || group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
      return rebalance.prepareRebalanceOrCompleteJoin(group);
    }
    if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.allMembersJoined()) {
      return rebalance.completeJoinPhase(group);
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
    context.groups().remove(group.groupId());
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
        context.groups().put(group);
      }
      records.restore(group, value);
    }
  }

  /** After replay: members restored from disk must heartbeat within their session timeout. */
  public void finishLoading() {
    for (ClassicGroup group : context.groups().all(ClassicGroup.class)) {
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
    return context.now();
  }

  static String heartbeatKey(String groupId, String memberId) {
    return "heartbeat/" + groupId + "/" + memberId;
  }
}
