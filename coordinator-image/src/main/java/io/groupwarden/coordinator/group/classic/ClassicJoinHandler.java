package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;

/**
 * JoinGroup of the classic protocol: who may join, new and known members, KIP-394's member id round
 * trip, and static members taking over their old identity. What a join sets off (a rebalance, the
 * end of the join phase) is {@link ClassicGroupManager}'s.
 */
record ClassicJoinHandler(ClassicGroupManager manager) {
  CoordinatorResult<Void> join(
      Client client,
      JoinGroupRequestData request,
      CompletableFuture<JoinGroupResponseData> future) {
    String groupId = request.groupId();
    String memberId = request.memberId();
    if (groupId == null || groupId.isEmpty()) {
      return completeJoin(future, memberId, Errors.INVALID_GROUP_ID);
    }
    if (request.sessionTimeoutMs() < manager.context.config().minSessionTimeoutMs()
        || request.sessionTimeoutMs() > manager.context.config().maxSessionTimeoutMs()) {
      return completeJoin(future, memberId, Errors.INVALID_SESSION_TIMEOUT);
    }
    boolean unknownMember = memberId.isEmpty();
    ClassicGroup group = manager.group(groupId);
    if (group == null) {
      if (!unknownMember) {
        return completeJoin(future, memberId, Errors.UNKNOWN_MEMBER_ID);
      }
      group = new ClassicGroup(groupId, manager.now());
      manager.context.groups().put(group);
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
              || group.awaitingJoinCount() < manager.context.config().maxSize();
      case COMPLETING_REBALANCE, STABLE ->
          group.hasMember(memberId) || group.size() < manager.context.config().maxSize();
    };
  }

  private CoordinatorResult<Void> joinNewMember(
      Client client,
      JoinGroupRequestData request,
      ClassicGroup group,
      CompletableFuture<JoinGroupResponseData> future) {
    if (group.is(ClassicGroupState.DEAD)) {
      return completeJoin(future, "", Errors.COORDINATOR_NOT_AVAILABLE);
    }
    List<ClassicGroupMember.Protocol> protocols = protocols(request);
    if (!group.supportsProtocols(request.protocolType(), names(protocols))) {
      return completeJoin(future, "", Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    String instanceId = request.groupInstanceId();
    String newMemberId = newMemberId(client.clientId(), instanceId);
    if (instanceId != null) {
      String existing = group.staticMemberId(instanceId);
      return existing != null
          ? replaceStaticMember(client, request, group, existing, newMemberId, future)
          : addMemberAndRebalance(client, request, group, newMemberId, future);
    }
    if (JoinGroupRequest.requiresKnownMemberId(client.apiVersion())) {
      // KIP-394: hand out the id first, so a client that times out does not leave a ghost member.
      group.pendingJoins().add(newMemberId);
      String groupId = group.groupId();
      manager
          .context
          .timer()
          .schedule(
              ClassicGroupManager.heartbeatKey(groupId, newMemberId),
              request.sessionTimeoutMs(),
              () -> manager.heartbeatExpired(groupId, newMemberId));
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
    if (group.is(ClassicGroupState.DEAD)) {
      return completeJoin(future, memberId, Errors.COORDINATOR_NOT_AVAILABLE);
    }
    List<ClassicGroupMember.Protocol> protocols = protocols(request);
    if (!group.supportsProtocols(request.protocolType(), names(protocols))) {
      return completeJoin(future, memberId, Errors.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (group.pendingJoins().contains(memberId)) {
      if (request.groupInstanceId() != null) {
        return completeJoin(future, memberId, Errors.INVALID_REQUEST);
      }
      return addMemberAndRebalance(client, request, group, memberId, future);
    }
    Errors invalid = group.validateMember(memberId, request.groupInstanceId());
    if (invalid != Errors.NONE) {
      return completeJoin(future, memberId, invalid);
    }
    ClassicGroupMember member = group.member(memberId);
    switch (group.state()) {
      case PREPARING_REBALANCE:
        return updateMemberAndRebalance(request, group, member, protocols, future);
      case COMPLETING_REBALANCE:
        if (member.sameProtocols(protocols)) {
          // The member missed our JoinGroup response: send it the current generation again.
          future.complete(
              ClassicRebalance.currentGeneration(group, memberId, group.isLeader(memberId)));
          return CoordinatorResult.none();
        }
        return updateMemberAndRebalance(request, group, member, protocols, future);
      case STABLE:
        if (group.isLeader(memberId) || !member.sameProtocols(protocols)) {
          // A leader's JoinGroup asks for a new assignment (for example topics changed).
          return updateMemberAndRebalance(request, group, member, protocols, future);
        }
        future.complete(ClassicRebalance.currentGeneration(group, memberId, false));
        return CoordinatorResult.none();
      default:
        return completeJoin(future, memberId, Errors.UNKNOWN_MEMBER_ID);
    }
  }

  private CoordinatorResult<Void> addMemberAndRebalance(
      Client client,
      JoinGroupRequestData request,
      ClassicGroup group,
      String memberId,
      CompletableFuture<JoinGroupResponseData> future) {
    ClassicGroupMember member =
        new ClassicGroupMember(
            memberId,
            request.groupInstanceId(),
            client.clientId(),
            client.clientHost(),
            rebalanceTimeout(request),
            request.sessionTimeoutMs(),
            request.protocolType(),
            protocols(request));
    member.setNew(true);
    if (group.is(ClassicGroupState.PREPARING_REBALANCE)
        && group.previousState() == ClassicGroupState.EMPTY) {
      group.setNewMemberAdded(true);
    }
    group.add(member, future);
    // A new member cannot heartbeat while its JoinGroup is parked; bound how long it may wait.
    manager.scheduleHeartbeat(group, member, manager.context.config().newMemberJoinTimeoutMs());
    return manager.rebalance.prepareRebalanceOrCompleteJoin(group);
  }

  private CoordinatorResult<Void> updateMemberAndRebalance(
      JoinGroupRequestData request,
      ClassicGroup group,
      ClassicGroupMember member,
      List<ClassicGroupMember.Protocol> protocols,
      CompletableFuture<JoinGroupResponseData> future) {
    group.updateMember(
        member, protocols, rebalanceTimeout(request), request.sessionTimeoutMs(), future);
    return manager.rebalance.prepareRebalanceOrCompleteJoin(group);
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
    manager.cancelHeartbeat(group.groupId(), group.member(oldMemberId));
    ClassicGroupMember member =
        group.replaceStaticMember(request.groupInstanceId(), oldMemberId, newMemberId);
    manager.scheduleHeartbeat(group, member, member.sessionTimeoutMs());
    group.updateMember(
        member, protocols(request), rebalanceTimeout(request), request.sessionTimeoutMs(), future);
    switch (group.state()) {
      case STABLE:
        if (group.selectProtocol().equals(group.protocolName())) {
          boolean skipAssignment = JoinGroupRequest.supportsSkippingAssignment(client.apiVersion());
          int generation = group.generationId();
          return CoordinatorResult.persist(
              List.of(manager.records.metadata(group, group.assignments())),
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
                      .setMembers(leader ? ClassicRebalance.joinResponseMembers(group) : List.of())
                      .setLeader(group.leaderId())
                      .setSkipAssignment(leader);
                } else {
                  // An older client would recompute the assignment if told it leads.
                  response.setLeader(previousLeader).setSkipAssignment(false);
                }
                group.completeJoin(member, response);
              });
        }
        return manager.rebalance.prepareRebalanceOrCompleteJoin(group);
      case COMPLETING_REBALANCE:
        // The leader may have computed an assignment for the old member id: start over.
        return manager.rebalance.prepareRebalance(group);
      case PREPARING_REBALANCE:
        return manager.rebalance.maybeCompleteJoinPhase(group);
      default:
        throw new IllegalStateException(
            "static member of group " + group.groupId() + " in state " + group.state());
    }
  }

  private static int rebalanceTimeout(JoinGroupRequestData request) {
    return request.rebalanceTimeoutMs() > 0
        ? request.rebalanceTimeoutMs()
        : request.sessionTimeoutMs();
  }

  private static List<ClassicGroupMember.Protocol> protocols(JoinGroupRequestData request) {
    List<ClassicGroupMember.Protocol> protocols = new ArrayList<>();
    for (JoinGroupRequestProtocol p : request.protocols()) {
      protocols.add(new ClassicGroupMember.Protocol(p.name(), p.metadata()));
    }
    return protocols;
  }

  private static List<String> names(List<ClassicGroupMember.Protocol> protocols) {
    List<String> names = new ArrayList<>();
    protocols.forEach(p -> names.add(p.name()));
    return names;
  }

  private static CoordinatorResult<Void> completeJoin(
      CompletableFuture<JoinGroupResponseData> future, String memberId, Errors error) {
    future.complete(new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code()));
    return CoordinatorResult.none();
  }

  static String newMemberId(String clientId, String groupInstanceId) {
    return (groupInstanceId != null ? groupInstanceId : clientId) + "-" + UUID.randomUUID();
  }
}
