package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.GroupView;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * How a classic group looks to readers outside its shard: the immutable view and what its members
 * subscribe to, read from the members' consumer-protocol bytes. The group's state machine stays in
 * {@link ClassicGroup}; this reads it on the shard thread.
 */
final class ClassicGroupSnapshot {
  private ClassicGroupSnapshot() {}

  static GroupView view(ClassicGroup group, Map<TopicPartition, OffsetAndMetadata> offsets) {
    List<GroupView.Member> views = new ArrayList<>();
    for (ClassicGroupMember member : group.members()) {
      views.add(
          new GroupView.Member(
              member.memberId(),
              member.groupInstanceId(),
              member.clientId(),
              member.clientHost(),
              assignedPartitions(group, member)));
    }
    return new GroupView(
        group.groupId(),
        GroupType.CLASSIC,
        group.state().wireName(),
        group.generationId(),
        group.protocolType(),
        group.protocolName(),
        group.leaderId(),
        List.copyOf(views),
        Map.copyOf(offsets));
  }

  /** Whether a member of a consumer-protocol group names {@code topic} in its subscription. */
  static boolean subscribes(ClassicGroup group, String topic) {
    if (!usesConsumerProtocol(group)) {
      return false;
    }
    for (ClassicGroupMember member : group.members()) {
      if (ClassicConsumerMetadata.subscribes(member.metadata(group.protocolName()), topic)) {
        return true;
      }
    }
    return false;
  }

  /** The partitions in a consumer-protocol assignment; empty for other protocols, null if bad. */
  private static List<TopicPartition> assignedPartitions(
      ClassicGroup group, ClassicGroupMember member) {
    return usesConsumerProtocol(group)
        ? ClassicConsumerMetadata.assignedPartitions(member.assignment())
        : List.of();
  }

  private static boolean usesConsumerProtocol(ClassicGroup group) {
    return ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType());
  }
}
