package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupHeartbeat of a member speaking the consumer protocol: joining (epoch 0), heartbeats
 * that report what it owns and get its next assignment, and leaving (epoch -1, or -2 for a static
 * member that will come back). What a change does to the group is {@link Membership}'s.
 */
record ConsumerHeartbeatHandler(
    ConsumerGroupParts parts, Membership membership, ConsumerGroupTimeouts.Fence fence) {
  /** Null when the request may be served, else why not. */
  Refusal validate(Client client, ConsumerGroupHeartbeatRequestData request) {
    if (request.groupId() == null || request.groupId().isEmpty()) {
      return new Refusal(Errors.INVALID_REQUEST, "GroupId can't be empty.");
    }
    if (request.instanceId() != null && request.instanceId().isEmpty()) {
      return new Refusal(Errors.INVALID_REQUEST, "InstanceId can't be empty.");
    }
    if (request.rackId() != null && request.rackId().isEmpty()) {
      return new Refusal(Errors.INVALID_REQUEST, "RackId can't be empty.");
    }
    boolean memberIdRequired = client.apiVersion() >= 1 || request.memberEpoch() != 0;
    if (memberIdRequired && (request.memberId() == null || request.memberId().isEmpty())) {
      return new Refusal(Errors.INVALID_REQUEST, "MemberId can't be empty.");
    }
    if (request.memberEpoch() == 0) {
      if (request.rebalanceTimeoutMs() <= 0) {
        return new Refusal(
            Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
      }
      if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
        return new Refusal(
            Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
      }
      boolean names =
          request.subscribedTopicNames() != null && !request.subscribedTopicNames().isEmpty();
      boolean regex =
          request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty();
      if (!names && !regex) {
        return new Refusal(
            Errors.INVALID_REQUEST,
            "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
      }
    } else if (request.memberEpoch() < ConsumerGroupMember.LEFT_STATIC_EPOCH) {
      return new Refusal(
          Errors.INVALID_REQUEST, "MemberEpoch is invalid: " + request.memberEpoch());
    } else if (request.memberEpoch() == ConsumerGroupMember.LEFT_STATIC_EPOCH
        && request.instanceId() == null) {
      return new Refusal(
          Errors.INVALID_REQUEST, "InstanceId can't be null when leaving with epoch -2.");
    }
    if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
      String why = RegexSubscriptions.validate(request.subscribedTopicRegex());
      if (why != null) {
        return new Refusal(
            Errors.INVALID_REGULAR_EXPRESSION,
            "SubscribedTopicRegex `" + request.subscribedTopicRegex() + "` is invalid: " + why);
      }
    }
    if (request.serverAssignor() != null
        && parts.context().config().assignors().get(request.serverAssignor()) == null) {
      return new Refusal(
          Errors.UNSUPPORTED_ASSIGNOR,
          "ServerAssignor "
              + request.serverAssignor()
              + " is not supported. Supported assignors: "
              + String.join(", ", parts.context().config().assignors().names())
              + ".");
    }
    return null;
  }

  /** A heartbeat with epoch 0 or more: joining, or going on in {@code group}. */
  CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(
      Client client, ConsumerGroupHeartbeatRequestData request, ConsumerGroup group) {
    String groupId = group.groupId();
    String instanceId = request.instanceId();
    ConsumerGroupMember member;
    String replacedMemberId = null;
    boolean newMember = false;
    Assignment owned =
        request.topicPartitions() == null
            ? null
            : Assignment.of(
                request.topicPartitions(),
                ConsumerGroupHeartbeatRequestData.TopicPartitions::topicId,
                ConsumerGroupHeartbeatRequestData.TopicPartitions::partitions);
    if (request.memberEpoch() == 0) {
      String memberId =
          request.memberId() == null || request.memberId().isEmpty()
              ? Uuid.randomUuid().toString()
              : request.memberId();
      String staticId = instanceId == null ? null : group.staticMemberId(instanceId);
      if (staticId != null && !staticId.equals(memberId)) {
        ConsumerGroupMember previous = group.member(staticId);
        // A classic member with this instance id is being upgraded: the new process takes its
        // place at once. Two consumer-protocol processes must not: the old one must leave first.
        if (!previous.hasLeftStatically() && !previous.usesClassicProtocol()) {
          return refuse(
              Errors.UNRELEASED_INSTANCE_ID,
              "Static member with instance id "
                  + instanceId
                  + " is still in the group with member id "
                  + staticId
                  + ".");
        }
        // It takes over its old self and its partitions, at its last epoch, and nobody else
        // moves.
        member = previous.rejoinedAs(memberId).withClassic(null);
        replacedMemberId = staticId;
      } else if (group.member(memberId) != null) {
        member = group.member(memberId);
        if (member.usesClassicProtocol()) {
          return refuse(
              Errors.UNKNOWN_MEMBER_ID,
              "Member " + memberId + " of group " + groupId + " uses the classic protocol.");
        }
      } else {
        member = ConsumerGroupMember.joining(memberId, instanceId);
        newMember = true;
      }
    } else {
      member = group.member(request.memberId());
      if (member == null || member.usesClassicProtocol()) {
        return refuse(
            Errors.UNKNOWN_MEMBER_ID,
            "Member " + request.memberId() + " is not a member of group " + groupId + ".");
      }
      if (instanceId != null && !instanceId.equals(member.instanceId())) {
        return refuse(
            Errors.FENCED_INSTANCE_ID,
            "Instance id " + instanceId + " does not match member " + request.memberId() + ".");
      }
      if (member.hasLeftStatically()) {
        return refuse(Errors.FENCED_MEMBER_EPOCH, "The member left the group.");
      }
      ConsumerGroupMember.Reconciliation known = member.reconciliation();
      if (request.memberEpoch() != known.memberEpoch()) {
        boolean lostResponse =
            request.memberEpoch() == known.previousMemberEpoch()
                && owned != null
                && owned.minus(known.assigned()).isEmpty();
        if (!lostResponse) {
          return refuse(
              Errors.FENCED_MEMBER_EPOCH,
              "The consumer group member has a smaller member epoch ("
                  + request.memberEpoch()
                  + ") than the one known by the group coordinator ("
                  + known.memberEpoch()
                  + "). The member must abandon all its partitions and rejoin.");
        }
      }
    }
    ConsumerGroupMember updated =
        member.withMetadata(
            instanceId != null ? instanceId : member.instanceId(),
            new ConsumerGroupMember.Metadata(
                request.rackId() != null ? request.rackId() : member.metadata().rackId(),
                client.clientId(),
                client.clientHost(),
                request.subscribedTopicNames() != null
                    ? Membership.sorted(request.subscribedTopicNames())
                    : member.metadata().subscribedTopicNames(),
                request.subscribedTopicRegex() != null
                    ? request.subscribedTopicRegex()
                    : member.metadata().subscribedTopicRegex(),
                request.serverAssignor() != null
                    ? request.serverAssignor()
                    : member.metadata().serverAssignor(),
                request.rebalanceTimeoutMs() > 0
                    ? request.rebalanceTimeoutMs()
                    : member.metadata().rebalanceTimeoutMs()));

    List<GroupRecord> records = new ArrayList<>();
    Membership.Outcome outcome =
        membership.update(
            group, member, updated, newMember, replacedMemberId, owned, false, records);
    if (outcome.refusal() != null) {
      return refuse(outcome.refusal());
    }
    ConsumerGroupMember reconciled = outcome.reconciled();
    parts.timeouts().heardFrom(group, reconciled);

    ConsumerGroupHeartbeatResponseData response =
        new ConsumerGroupHeartbeatResponseData()
            .setMemberId(reconciled.memberId())
            .setMemberEpoch(reconciled.reconciliation().memberEpoch())
            .setHeartbeatIntervalMs(parts.context().config().consumerHeartbeatIntervalMs());
    if (request.memberEpoch() == 0
        || owned != null
        || !reconciled.reconciliation().assigned().equals(member.reconciliation().assigned())) {
      response.setAssignment(
          new ConsumerGroupHeartbeatResponseData.Assignment()
              .setTopicPartitions(
                  reconciled
                      .reconciliation()
                      .assigned()
                      .toList(
                          (topicId, partitions) ->
                              new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                                  .setTopicId(topicId)
                                  .setPartitions(partitions))));
    }
    return CoordinatorResult.of(records, response);
  }

  /** Leaving: epoch -1 removes the member; a static member's -2 keeps its place and partitions. */
  CoordinatorResult<ConsumerGroupHeartbeatResponseData> leave(
      ConsumerGroupHeartbeatRequestData request, ConsumerGroup group) {
    ConsumerGroupMember member = group == null ? null : group.member(request.memberId());
    if (member == null || member.usesClassicProtocol()) {
      return refuse(
          Errors.UNKNOWN_MEMBER_ID,
          "Member " + request.memberId() + " is not a member of group " + request.groupId() + ".");
    }
    ConsumerGroupHeartbeatResponseData response =
        new ConsumerGroupHeartbeatResponseData()
            .setMemberId(member.memberId())
            .setMemberEpoch(request.memberEpoch());
    if (request.memberEpoch() == ConsumerGroupMember.LEFT_STATIC_EPOCH && member.isStatic()) {
      List<GroupRecord> records = new ArrayList<>();
      parts
          .replay()
          .apply(
              records,
              ConsumerGroupRecords.currentAssignment(
                  group.groupId(),
                  member.withReconciliation(member.reconciliation().leftStatically())));
      parts.timeouts().cancelRevocation(group.groupId(), member.memberId());
      return CoordinatorResult.of(records, response);
    }
    CoordinatorResult<Void> removed = fence.fence(group, member.memberId(), "it left");
    return new CoordinatorResult<>(removed.records(), response, removed.afterPersist());
  }

  static CoordinatorResult<ConsumerGroupHeartbeatResponseData> refuse(Refusal refusal) {
    return refuse(refusal.error(), refusal.message());
  }

  static CoordinatorResult<ConsumerGroupHeartbeatResponseData> refuse(
      Errors error, String message) {
    return CoordinatorResult.of(
        new ConsumerGroupHeartbeatResponseData()
            .setErrorCode(error.code())
            .setErrorMessage(message));
  }
}
