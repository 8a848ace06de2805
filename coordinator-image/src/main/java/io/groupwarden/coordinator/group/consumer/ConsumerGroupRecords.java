package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.classic.ClassicGroupMember;
import java.util.ArrayList;
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

/** A consumer group as Kafka's {@code ConsumerGroup*} records, the ones Kafka 4 writes. */
final class ConsumerGroupRecords {
  private ConsumerGroupRecords() {}

  static GroupRecord epoch(String groupId, int epoch, long metadataHash) {
    return GroupRecord.of(
        new ConsumerGroupMetadataKey().setGroupId(groupId),
        new ConsumerGroupMetadataValue().setEpoch(epoch).setMetadataHash(metadataHash));
  }

  static GroupRecord groupTombstone(String groupId) {
    return GroupRecord.tombstone(new ConsumerGroupMetadataKey().setGroupId(groupId));
  }

  static GroupRecord memberMetadata(String groupId, ConsumerGroupMember member) {
    return GroupRecord.of(
        new ConsumerGroupMemberMetadataKey().setGroupId(groupId).setMemberId(member.memberId()),
        new ConsumerGroupMemberMetadataValue()
            .setInstanceId(member.instanceId())
            .setRackId(member.metadata().rackId())
            .setClientId(member.metadata().clientId())
            .setClientHost(member.metadata().clientHost())
            .setSubscribedTopicNames(member.metadata().subscribedTopicNames())
            .setSubscribedTopicRegex(member.metadata().subscribedTopicRegex())
            .setRebalanceTimeoutMs(member.metadata().rebalanceTimeoutMs())
            .setServerAssignor(member.metadata().serverAssignor())
            .setClassicMemberMetadata(classicMetadata(member.classic())));
  }

  private static ConsumerGroupMemberMetadataValue.ClassicMemberMetadata classicMetadata(
      ClassicMemberMetadata classic) {
    if (classic == null) {
      return null;
    }
    List<ConsumerGroupMemberMetadataValue.ClassicProtocol> protocols = new ArrayList<>();
    for (ClassicGroupMember.Protocol p : classic.protocols()) {
      protocols.add(
          new ConsumerGroupMemberMetadataValue.ClassicProtocol()
              .setName(p.name())
              .setMetadata(p.metadata()));
    }
    return new ConsumerGroupMemberMetadataValue.ClassicMemberMetadata()
        .setSessionTimeoutMs(classic.sessionTimeoutMs())
        .setSupportedProtocols(protocols);
  }

  /** The classic member metadata of a record, or null for a consumer-protocol member. */
  static ClassicMemberMetadata classicMetadata(ConsumerGroupMemberMetadataValue value) {
    ConsumerGroupMemberMetadataValue.ClassicMemberMetadata classic = value.classicMemberMetadata();
    if (classic == null) {
      return null;
    }
    List<ClassicGroupMember.Protocol> protocols = new ArrayList<>();
    for (ConsumerGroupMemberMetadataValue.ClassicProtocol p : classic.supportedProtocols()) {
      protocols.add(new ClassicGroupMember.Protocol(p.name(), p.metadata()));
    }
    return new ClassicMemberMetadata(classic.sessionTimeoutMs(), protocols);
  }

  static GroupRecord memberTombstone(String groupId, String memberId) {
    return GroupRecord.tombstone(
        new ConsumerGroupMemberMetadataKey().setGroupId(groupId).setMemberId(memberId));
  }

  static GroupRecord currentAssignment(String groupId, ConsumerGroupMember member) {
    return GroupRecord.of(
        new ConsumerGroupCurrentMemberAssignmentKey()
            .setGroupId(groupId)
            .setMemberId(member.memberId()),
        new ConsumerGroupCurrentMemberAssignmentValue()
            .setMemberEpoch(member.reconciliation().memberEpoch())
            .setPreviousMemberEpoch(member.reconciliation().previousMemberEpoch())
            .setState(member.reconciliation().state().value())
            .setAssignedPartitions(currentPartitions(member.reconciliation().assigned()))
            .setPartitionsPendingRevocation(
                currentPartitions(member.reconciliation().pendingRevocation())));
  }

  static GroupRecord currentAssignmentTombstone(String groupId, String memberId) {
    return GroupRecord.tombstone(
        new ConsumerGroupCurrentMemberAssignmentKey().setGroupId(groupId).setMemberId(memberId));
  }

  static GroupRecord target(String groupId, String memberId, Assignment assignment) {
    return GroupRecord.of(
        new ConsumerGroupTargetAssignmentMemberKey().setGroupId(groupId).setMemberId(memberId),
        new ConsumerGroupTargetAssignmentMemberValue()
            .setTopicPartitions(
                assignment.toList(
                    (topicId, partitions) ->
                        new ConsumerGroupTargetAssignmentMemberValue.TopicPartition()
                            .setTopicId(topicId)
                            .setPartitions(partitions))));
  }

  static GroupRecord targetTombstone(String groupId, String memberId) {
    return GroupRecord.tombstone(
        new ConsumerGroupTargetAssignmentMemberKey().setGroupId(groupId).setMemberId(memberId));
  }

  static GroupRecord targetEpoch(String groupId, int epoch) {
    return GroupRecord.of(
        new ConsumerGroupTargetAssignmentMetadataKey().setGroupId(groupId),
        new ConsumerGroupTargetAssignmentMetadataValue().setAssignmentEpoch(epoch));
  }

  static GroupRecord targetEpochTombstone(String groupId) {
    return GroupRecord.tombstone(
        new ConsumerGroupTargetAssignmentMetadataKey().setGroupId(groupId));
  }

  private static List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> currentPartitions(
      Assignment assignment) {
    return assignment.toList(
        (topicId, partitions) ->
            new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions()
                .setTopicId(topicId)
                .setPartitions(partitions));
  }

  static Assignment assigned(ConsumerGroupCurrentMemberAssignmentValue value) {
    return Assignment.of(
        value.assignedPartitions(),
        ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions::topicId,
        ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions::partitions);
  }

  static Assignment pendingRevocation(ConsumerGroupCurrentMemberAssignmentValue value) {
    return Assignment.of(
        value.partitionsPendingRevocation(),
        ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions::topicId,
        ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions::partitions);
  }

  static Assignment target(ConsumerGroupTargetAssignmentMemberValue value) {
    return Assignment.of(
        value.topicPartitions(),
        ConsumerGroupTargetAssignmentMemberValue.TopicPartition::topicId,
        ConsumerGroupTargetAssignmentMemberValue.TopicPartition::partitions);
  }
}
