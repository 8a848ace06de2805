package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.classic.ClassicGroup;
import io.groupwarden.coordinator.group.classic.ClassicGroupMember;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;

/**
 * Members speaking the classic protocol inside a consumer group, while a rolling upgrade or
 * downgrade is under way: their JoinGroup, SyncGroup, Heartbeat and LeaveGroup are answered from
 * the consumer group's target assignment, so the broker assigns them as it assigns everyone.
 *
 * <p>A classic member is reconciled when it joins: its JoinGroup says what it owns (the embedded
 * protocol's owned partitions), the generation it is given is its member epoch, and SyncGroup hands
 * it what it is assigned. It is never the leader, so it computes nothing. When the group moves on
 * (a new epoch, partitions to revoke, partitions it waited for now free) its heartbeat answers
 * REBALANCE_IN_PROGRESS and it joins again.
 */
record ClassicMemberHandler(ConsumerGroupParts parts, Membership membership) {
  // ---------------------------------------------------------------- JoinGroup

  CoordinatorResult<Void> join(
      ConsumerGroup group,
      Client client,
      JoinGroupRequestData request,
      CompletableFuture<JoinGroupResponseData> future) {
    String groupId = group.groupId();
    String instanceId = request.groupInstanceId();
    boolean unknownMember = request.memberId().isEmpty();
    String memberId =
        unknownMember
            ? (instanceId != null ? instanceId : client.clientId()) + "-" + UUID.randomUUID()
            : request.memberId();
    if (request.sessionTimeoutMs() < parts.context().config().minSessionTimeoutMs()
        || request.sessionTimeoutMs() > parts.context().config().maxSessionTimeoutMs()) {
      return completeJoin(future, request.memberId(), Errors.INVALID_SESSION_TIMEOUT);
    }
    if (group.member(memberId) == null
        && group.staticMember(instanceId) == null
        && group.memberCount() >= parts.context().config().maxSize()) {
      return completeJoin(future, request.memberId(), Errors.GROUP_MAX_SIZE_REACHED);
    }
    List<ClassicGroupMember.Protocol> protocols = new ArrayList<>();
    for (JoinGroupRequestProtocol p : request.protocols()) {
      protocols.add(new ClassicGroupMember.Protocol(p.name(), p.metadata()));
    }
    if (!group.supportsClassicProtocols(
        request.protocolType(),
        protocols.stream().map(ClassicGroupMember.Protocol::name).toList())) {
      return completeJoin(future, request.memberId(), Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    ConsumerPartitionAssignor.Subscription subscription;
    try {
      subscription = EmbeddedConsumerProtocol.subscription(protocols.get(0).metadata());
    } catch (RuntimeException e) {
      return completeJoin(future, request.memberId(), Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (unknownMember
        && instanceId == null
        && JoinGroupRequest.requiresKnownMemberId(client.apiVersion())) {
      // KIP-394: hand out the id first, so a client that gives up leaves no member behind.
      future.complete(
          new JoinGroupResponseData()
              .setMemberId(memberId)
              .setErrorCode(Errors.MEMBER_ID_REQUIRED.code()));
      return CoordinatorResult.none();
    }

    ConsumerGroupMember member;
    boolean newMember = false;
    String replacedMemberId = null;
    String staticId = instanceId == null ? null : group.staticMemberId(instanceId);
    if (staticId == null) {
      member = group.member(memberId);
      if (member == null) {
        member = ConsumerGroupMember.joining(memberId, instanceId);
        newMember = true;
      } else if (!member.usesClassicProtocol()) {
        return completeJoin(future, request.memberId(), Errors.UNKNOWN_MEMBER_ID);
      }
    } else if (staticId.equals(memberId)) {
      member = group.member(memberId);
      if (!member.usesClassicProtocol()) {
        return completeJoin(future, request.memberId(), Errors.UNKNOWN_MEMBER_ID);
      }
    } else if (unknownMember) {
      // A static member restarted: the new process takes over its place and partitions.
      member = group.member(staticId).rejoinedAs(memberId);
      replacedMemberId = staticId;
    } else {
      return completeJoin(future, request.memberId(), Errors.FENCED_INSTANCE_ID);
    }
    int rebalanceTimeoutMs =
        request.rebalanceTimeoutMs() > 0
            ? request.rebalanceTimeoutMs()
            : request.sessionTimeoutMs();
    ClassicMemberMetadata classic =
        new ClassicMemberMetadata(request.sessionTimeoutMs(), protocols);
    ConsumerGroupMember updated =
        member
            .withMetadata(
                instanceId != null ? instanceId : member.instanceId(),
                new ConsumerGroupMember.Metadata(
                    subscription.rackId().orElse(member.metadata().rackId()),
                    client.clientId(),
                    client.clientHost(),
                    Membership.sorted(subscription.topics()),
                    null,
                    null,
                    rebalanceTimeoutMs))
            .withClassic(classic);
    Assignment owned = parts.embedded().byId(subscription.ownedPartitions());

    List<GroupRecord> records = new ArrayList<>();
    Membership.Outcome outcome =
        membership.update(
            group, member, updated, newMember, replacedMemberId, owned, true, records);
    if (outcome.refusal() != null) {
      return completeJoin(future, request.memberId(), outcome.refusal().error());
    }
    ConsumerGroupMember reconciled = outcome.reconciled();
    parts.timeouts().heardFrom(group, reconciled);
    parts.timeouts().joined(group, reconciled);
    JoinGroupResponseData response =
        new JoinGroupResponseData()
            .setMemberId(reconciled.memberId())
            .setGenerationId(reconciled.reconciliation().memberEpoch())
            .setProtocolType(ClassicGroup.CONSUMER_PROTOCOL_TYPE)
            .setProtocolName(classic.protocolName())
            .setLeader("")
            .setSkipAssignment(false);
    return CoordinatorResult.persist(records, () -> future.complete(response));
  }

  // ---------------------------------------------------------------- SyncGroup

  CoordinatorResult<Void> sync(
      ConsumerGroup group,
      SyncGroupRequestData request,
      CompletableFuture<SyncGroupResponseData> future) {
    ConsumerGroupMember member =
        classicMember(group, request.memberId(), request.groupInstanceId());
    Errors error = member == null ? unknownOrFenced(group, request.groupInstanceId()) : null;
    if (error == null && request.generationId() != member.reconciliation().memberEpoch()) {
      error = Errors.ILLEGAL_GENERATION;
    }
    if (error == null
        && (inconsistent(request.protocolType(), ClassicGroup.CONSUMER_PROTOCOL_TYPE)
            || inconsistent(request.protocolName(), member.classic().protocolName()))) {
      error = Errors.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (error == null
        && group.groupEpoch() > member.reconciliation().memberEpoch()
        && member.reconciliation().state() != MemberState.UNREVOKED_PARTITIONS) {
      // The group moved on since it joined; a member still revoking finishes that first.
      parts.timeouts().rejoinRequested(group, member);
      error = Errors.REBALANCE_IN_PROGRESS;
    }
    if (error != null) {
      future.complete(new SyncGroupResponseData().setErrorCode(error.code()));
      return CoordinatorResult.none();
    }
    parts.timeouts().synced(group, member.memberId());
    parts.timeouts().heardFrom(group, member);
    future.complete(
        new SyncGroupResponseData()
            .setProtocolType(ClassicGroup.CONSUMER_PROTOCOL_TYPE)
            .setProtocolName(member.classic().protocolName())
            .setAssignment(
                parts
                    .embedded()
                    .assignmentBytes(
                        member.reconciliation().assigned(), member.classic().firstMetadata())));
    return CoordinatorResult.none();
  }

  // ---------------------------------------------------------------- Heartbeat

  CoordinatorResult<HeartbeatResponseData> heartbeat(
      ConsumerGroup group, HeartbeatRequestData request) {
    parts.context().metrics().heartbeat();
    ConsumerGroupMember member =
        classicMember(group, request.memberId(), request.groupInstanceId());
    Errors error = member == null ? unknownOrFenced(group, request.groupInstanceId()) : null;
    if (error == null && request.generationId() != member.reconciliation().memberEpoch()) {
      error = Errors.ILLEGAL_GENERATION;
    }
    if (error == null) {
      parts.timeouts().heardFrom(group, member);
      error = mustRejoin(group, member) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
      if (error == Errors.REBALANCE_IN_PROGRESS) {
        parts.timeouts().rejoinRequested(group, member);
      }
    }
    return CoordinatorResult.of(new HeartbeatResponseData().setErrorCode(error.code()));
  }

  /**
   * A classic member learns of a change only by joining again: when the group epoch moved past its
   * own, when it must revoke partitions, or when partitions it waits for have been released.
   */
  private static boolean mustRejoin(ConsumerGroup group, ConsumerGroupMember member) {
    ConsumerGroupMember.Reconciliation now = member.reconciliation();
    return now.memberEpoch() < group.groupEpoch()
        || now.state() == MemberState.UNREVOKED_PARTITIONS
        || (now.state() == MemberState.UNRELEASED_PARTITIONS
            && !group.waitingOnUnreleasedPartition(member));
  }

  // ---------------------------------------------------------------- LeaveGroup

  /** LeaveGroup of classic members (by member id, or by instance id for static members). */
  CoordinatorResult<LeaveGroupResponseData> leave(
      ConsumerGroup group, List<MemberIdentity> leaving) {
    List<MemberResponse> responses = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (MemberIdentity identity : leaving) {
      String instanceId = identity.groupInstanceId();
      ConsumerGroupMember member;
      Errors error = Errors.NONE;
      if (instanceId == null) {
        member = group.member(identity.memberId());
      } else {
        member = group.staticMember(instanceId);
        if (member != null
            && identity.memberId() != null
            && !identity.memberId().isEmpty()
            && !identity.memberId().equals(member.memberId())) {
          error = Errors.FENCED_INSTANCE_ID;
        }
      }
      if (member == null || !member.usesClassicProtocol() || left.contains(member.memberId())) {
        error = error == Errors.NONE ? Errors.UNKNOWN_MEMBER_ID : error;
      }
      if (error == Errors.NONE) {
        left.add(member.memberId());
      }
      responses.add(
          new MemberResponse()
              .setMemberId(
                  member != null && error == Errors.NONE ? member.memberId() : identity.memberId())
              .setGroupInstanceId(instanceId)
              .setErrorCode(error.code()));
    }
    List<GroupRecord> records = new ArrayList<>();
    if (!left.isEmpty()) {
      membership.removeAndBump(group, left, records);
    }
    return CoordinatorResult.of(records, new LeaveGroupResponseData().setMembers(responses));
  }

  // ----------------------------------------------------------------

  /** The classic member a request names (by member id, or instance id and member id), or null. */
  private static ConsumerGroupMember classicMember(
      ConsumerGroup group, String memberId, String instanceId) {
    ConsumerGroupMember member =
        instanceId == null ? group.member(memberId) : group.staticMember(instanceId);
    if (member == null || !member.memberId().equals(memberId) || !member.usesClassicProtocol()) {
      return null;
    }
    return member;
  }

  /** Why no classic member matched: another process holds the instance id, or none is known. */
  private static Errors unknownOrFenced(ConsumerGroup group, String instanceId) {
    return instanceId != null && group.staticMember(instanceId) != null
        ? Errors.FENCED_INSTANCE_ID
        : Errors.UNKNOWN_MEMBER_ID;
  }

  private static boolean inconsistent(String requested, String current) {
    return requested != null && !requested.equals(current);
  }

  private static CoordinatorResult<Void> completeJoin(
      CompletableFuture<JoinGroupResponseData> future, String memberId, Errors error) {
    future.complete(new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code()));
    return CoordinatorResult.none();
  }
}
