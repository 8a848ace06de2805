package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.GroupContext;
import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.classic.ClassicGroup;
import java.util.List;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataValue;

/**
 * The consumer groups' records and the state they make: applying one changes a group exactly as the
 * handler that made it intended, and the groups as records are what a compacted log holds.
 */
record ConsumerGroupReplay(GroupContext context) {
  /** Adds a record a handler made to {@code out} and applies it at once. */
  void apply(List<GroupRecord> out, GroupRecord record) {
    out.add(record);
    replay(record);
  }

  /** Applies a consumer group record: at once when a handler makes it, and on start-up. */
  void replay(GroupRecord record) {
    switch (record.type()) {
      case CONSUMER_GROUP_METADATA -> {
        String groupId = ((ConsumerGroupMetadataKey) record.key()).groupId();
        if (record.isTombstone()) {
          ConsumerGroup group = context.groups().get(groupId, ConsumerGroup.class);
          if (group != null) {
            group.markDead();
            context.groups().remove(groupId);
          }
        } else {
          ConsumerGroupMetadataValue value = (ConsumerGroupMetadataValue) record.value();
          getOrCreate(groupId).setEpoch(value.epoch(), value.metadataHash());
        }
      }
      case CONSUMER_GROUP_MEMBER_METADATA -> {
        ConsumerGroupMemberMetadataKey key = (ConsumerGroupMemberMetadataKey) record.key();
        ConsumerGroup group = getOrCreate(key.groupId());
        if (record.isTombstone()) {
          group.removeMember(key.memberId());
          return;
        }
        ConsumerGroupMemberMetadataValue value = (ConsumerGroupMemberMetadataValue) record.value();
        ConsumerGroupMember member = group.member(key.memberId());
        if (member == null) {
          member = ConsumerGroupMember.joining(key.memberId(), value.instanceId());
        }
        group.putMember(
            member
                .withMetadata(
                    value.instanceId(),
                    new ConsumerGroupMember.Metadata(
                        value.rackId(),
                        value.clientId(),
                        value.clientHost(),
                        value.subscribedTopicNames(),
                        value.subscribedTopicRegex(),
                        value.serverAssignor(),
                        value.rebalanceTimeoutMs()))
                .withClassic(ConsumerGroupRecords.classicMetadata(value)));
      }
      case CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT -> {
        ConsumerGroupCurrentMemberAssignmentKey key =
            (ConsumerGroupCurrentMemberAssignmentKey) record.key();
        ConsumerGroup group = getOrCreate(key.groupId());
        ConsumerGroupMember member = group.member(key.memberId());
        if (member == null) {
          return;
        }
        if (record.isTombstone()) {
          group.putMember(member.withReconciliation(ConsumerGroupMember.Reconciliation.NONE));
          return;
        }
        ConsumerGroupCurrentMemberAssignmentValue value =
            (ConsumerGroupCurrentMemberAssignmentValue) record.value();
        group.putMember(
            member.withReconciliation(
                new ConsumerGroupMember.Reconciliation(
                    value.memberEpoch(),
                    value.previousMemberEpoch(),
                    MemberState.fromValue(value.state()),
                    ConsumerGroupRecords.assigned(value),
                    ConsumerGroupRecords.pendingRevocation(value))));
      }
      case CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER -> {
        ConsumerGroupTargetAssignmentMemberKey key =
            (ConsumerGroupTargetAssignmentMemberKey) record.key();
        ConsumerGroup group = getOrCreate(key.groupId());
        if (record.isTombstone()) {
          group.removeTarget(key.memberId());
        } else {
          group.setTarget(
              key.memberId(),
              ConsumerGroupRecords.target(
                  (ConsumerGroupTargetAssignmentMemberValue) record.value()));
        }
      }
      case CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA -> {
        if (!record.isTombstone()) {
          String groupId = ((ConsumerGroupTargetAssignmentMetadataKey) record.key()).groupId();
          getOrCreate(groupId)
              .setTargetAssignmentEpoch(
                  ((ConsumerGroupTargetAssignmentMetadataValue) record.value()).assignmentEpoch());
        }
      }
      default -> {
        // Partition metadata and resolved regular expressions are recomputed, not stored.
      }
    }
  }

  /**
   * The consumer group of this id; an empty classic group of the same id (one that only holds
   * offsets) becomes it, keeping its offsets.
   */
  ConsumerGroup getOrCreate(String groupId) {
    Group existing = context.groups().get(groupId);
    if (existing instanceof ConsumerGroup group) {
      return group;
    }
    if (existing instanceof ClassicGroup classic && !classic.isEmpty() && !classic.isDead()) {
      throw new IllegalStateException("group " + groupId + " is a classic group with members");
    }
    ConsumerGroup group = new ConsumerGroup(groupId, context.topics());
    context.groups().put(group);
    return group;
  }

  /** The records a compacted log must hold for the consumer context.groups(). */
  void snapshot(List<GroupRecord> out) {
    for (ConsumerGroup group : context.groups().all(ConsumerGroup.class)) {
      String groupId = group.groupId();
      out.add(ConsumerGroupRecords.epoch(groupId, group.groupEpoch(), group.metadataHash()));
      for (ConsumerGroupMember member : group.members()) {
        out.add(ConsumerGroupRecords.memberMetadata(groupId, member));
        out.add(ConsumerGroupRecords.currentAssignment(groupId, member));
      }
      group
          .targetAssignment()
          .forEach(
              (memberId, assignment) ->
                  out.add(ConsumerGroupRecords.target(groupId, memberId, assignment)));
      out.add(ConsumerGroupRecords.targetEpoch(groupId, group.targetAssignmentEpoch()));
    }
  }
}
