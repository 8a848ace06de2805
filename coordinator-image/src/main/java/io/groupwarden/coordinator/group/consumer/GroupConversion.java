package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.classic.ClassicGroup;
import io.groupwarden.coordinator.group.classic.ClassicGroupConversion;
import io.groupwarden.coordinator.group.classic.ClassicGroupMember;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online migration between the two protocols (Kafka 4's default, "bidirectional"): a classic
 * group with members becomes a consumer group when a consumer-protocol member joins it, its members
 * staying in as classic members at their generation with what they own; and a consumer group whose
 * last consumer-protocol member goes becomes a classic group again, its members keeping what they
 * own until the rebalance that follows. Offsets are the offset manager's and stay as they are.
 */
record GroupConversion(
    ConsumerGroupParts parts, Membership membership, ClassicGroupConversion classic) {
  private static final Logger LOG = LoggerFactory.getLogger(GroupConversion.class);

  // ---------------------------------------------------------------- classic to consumer

  /**
   * Turns a classic group with members into a consumer group whose members are its members, each at
   * the group's generation as its member epoch with its last assignment as what it owns and its
   * target. Returns the group, or a refusal (nothing changed) when its members do not speak the
   * embedded consumer protocol.
   */
  Upgrade upgrade(ClassicGroup group, List<GroupRecord> out) {
    String groupId = group.groupId();
    if (!ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
      return Upgrade.refused(
          "Group "
              + groupId
              + " is a classic group of protocol type "
              + group.protocolType()
              + ", not a consumer group.");
    }
    if (group.memberCount() > parts.context().config().maxSize()) {
      return Upgrade.refused("Group " + groupId + " has more members than a group may have.");
    }
    int epoch = group.generationId();
    List<ConsumerGroupMember> members = new ArrayList<>();
    Map<String, Assignment> assigned = new HashMap<>();
    for (ClassicGroupMember member : group.members()) {
      try {
        members.add(fromClassic(member, group.protocolName(), epoch, assigned));
      } catch (RuntimeException e) {
        LOG.warn("cannot upgrade classic group {}: member {}", groupId, member.memberId(), e);
        return Upgrade.refused(
            "Group "
                + groupId
                + " cannot become a consumer group: member "
                + member.memberId()
                + " has an unreadable subscription or assignment ("
                + e.getMessage()
                + ").");
      }
    }

    classic.release(group, out);
    for (ConsumerGroupMember member : members) {
      parts.replay().apply(out, ConsumerGroupRecords.memberMetadata(groupId, member));
    }
    ConsumerGroup converted = parts.replay().getOrCreate(groupId);
    long hash = membership.subscriptionHash(converted, converted.members());
    parts.replay().apply(out, ConsumerGroupRecords.epoch(groupId, epoch, hash));
    converted.setTopicsVersionSeen(parts.context().topics().version());
    for (ConsumerGroupMember member : members) {
      parts
          .replay()
          .apply(
              out,
              ConsumerGroupRecords.target(
                  groupId, member.memberId(), assigned.get(member.memberId())));
    }
    parts.replay().apply(out, ConsumerGroupRecords.targetEpoch(groupId, epoch));
    for (ConsumerGroupMember member : members) {
      parts.replay().apply(out, ConsumerGroupRecords.currentAssignment(groupId, member));
      parts.timeouts().heardFrom(converted, member);
    }
    LOG.info(
        "classic group {} became a consumer group at epoch {} with {} classic members",
        groupId,
        epoch,
        members.size());
    return new Upgrade(converted, null);
  }

  /** The consumer group made from a classic one, or why it could not be made. */
  record Upgrade(ConsumerGroup group, String refusal) {
    static Upgrade refused(String why) {
      return new Upgrade(null, why);
    }

    Refusal asRefusal() {
      return new Refusal(Errors.GROUP_ID_NOT_FOUND, refusal);
    }
  }

  private ConsumerGroupMember fromClassic(
      ClassicGroupMember member, String protocol, int epoch, Map<String, Assignment> assigned) {
    byte[] metadata =
        protocol != null && member.metadata(protocol) != null
            ? member.metadata(protocol)
            : member.protocols().get(0).metadata();
    ConsumerPartitionAssignor.Subscription subscription =
        EmbeddedConsumerProtocol.subscription(metadata);
    Assignment owns = parts.embedded().assignment(member.assignment());
    assigned.put(member.memberId(), owns);
    return ConsumerGroupMember.joining(member.memberId(), member.groupInstanceId())
        .withMetadata(
            member.groupInstanceId(),
            new ConsumerGroupMember.Metadata(
                subscription.rackId().orElse(null),
                member.clientId(),
                member.clientHost(),
                Membership.sorted(subscription.topics()),
                null,
                null,
                member.rebalanceTimeoutMs()))
        .withClassic(new ClassicMemberMetadata(member.sessionTimeoutMs(), member.protocols()))
        .withReconciliation(
            new ConsumerGroupMember.Reconciliation(
                epoch, epoch, MemberState.STABLE, owns, Assignment.EMPTY));
  }

  // ---------------------------------------------------------------- consumer to classic

  /**
   * Whether the group turns back into a classic group when {@code memberId} goes: it is the last
   * member speaking the consumer protocol, classic members remain, and they fit in a classic group.
   */
  boolean downgradesWithout(ConsumerGroup group, String memberId) {
    if (!group.onlyConsumerProtocolMemberIs(memberId)
        || group.memberCount() <= 1
        || group.memberCount() - 1 > parts.context().config().maxSize()) {
      return false;
    }
    // Their assignments are written in the version of the protocol the classic group selects.
    for (ConsumerGroupMember member : group.members()) {
      if (member.usesClassicProtocol() && !EmbeddedConsumerProtocol.readable(member.classic())) {
        LOG.warn(
            "consumer group {} stays a consumer group: member {} has unreadable protocols",
            group.groupId(),
            member.memberId());
        return false;
      }
    }
    return true;
  }

  /**
   * Turns the group into a classic group of its members but {@code leavingMemberId}: a Stable group
   * at the group epoch, each member keeping what it owns, then a rebalance so that they join again
   * the classic way. Returns what the classic group does once the records are durable.
   */
  CoordinatorResult<Void> downgrade(
      ConsumerGroup group, String leavingMemberId, List<GroupRecord> out) {
    String groupId = group.groupId();
    List<ClassicGroupMember> members = new ArrayList<>();
    Map<String, Assignment> owned = new HashMap<>();
    for (ConsumerGroupMember member : group.members()) {
      if (member.memberId().equals(leavingMemberId)) {
        continue;
      }
      members.add(
          new ClassicGroupMember(
              member.memberId(),
              member.instanceId(),
              member.metadata().clientId(),
              member.metadata().clientHost(),
              member.metadata().rebalanceTimeoutMs(),
              member.classic().sessionTimeoutMs(),
              ClassicGroup.CONSUMER_PROTOCOL_TYPE,
              member.classic().protocols()));
      // What it owns now, pending revocations included: nobody else may be handed those before
      // the classic rebalance has taken them away from it.
      owned.put(member.memberId(), member.reconciliation().owned());
    }
    int epoch = group.groupEpoch();
    for (ConsumerGroupMember member : new ArrayList<>(group.members())) {
      parts
          .replay()
          .apply(out, ConsumerGroupRecords.currentAssignmentTombstone(groupId, member.memberId()));
      parts.replay().apply(out, ConsumerGroupRecords.targetTombstone(groupId, member.memberId()));
      parts.replay().apply(out, ConsumerGroupRecords.memberTombstone(groupId, member.memberId()));
      parts.timeouts().cancelAll(groupId, member.memberId());
    }
    parts.replay().apply(out, ConsumerGroupRecords.targetEpochTombstone(groupId));
    parts.replay().apply(out, ConsumerGroupRecords.groupTombstone(groupId));
    LOG.info(
        "consumer group {} became a classic group at generation {} with {} members",
        groupId,
        epoch,
        members.size());
    return classic.adopt(
        groupId,
        epoch,
        members,
        (memberId, metadata) -> parts.embedded().assignmentBytes(owned.get(memberId), metadata),
        out);
  }
}
