package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.GroupRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue.MemberMetadata;

/**
 * A classic group as Kafka's {@code GroupMetadataKey}/{@code GroupMetadataValue} record, and back.
 * The last record written for each group is kept so that compaction can write the state without
 * touching live groups.
 */
final class ClassicGroupRecords {
  private static final byte[] NO_BYTES = new byte[0];
  private final Map<String, GroupRecord> persisted = new HashMap<>();

  void persisted(String groupId, GroupRecord record) {
    persisted.put(groupId, record);
  }

  void removed(String groupId) {
    persisted.remove(groupId);
  }

  void snapshot(List<GroupRecord> out) {
    out.addAll(persisted.values());
  }

  /**
   * The group's generation with these assignments (member id to bytes; absent: none). As in Kafka,
   * a member's subscription is its metadata for the group's protocol.
   */
  GroupRecord metadata(ClassicGroup group, Map<String, byte[]> assignment) {
    List<MemberMetadata> members = new ArrayList<>();
    for (ClassicGroupMember m : group.members()) {
      byte[] subscription = group.protocolName() == null ? null : m.metadata(group.protocolName());
      members.add(
          new MemberMetadata()
              .setMemberId(m.memberId())
              .setGroupInstanceId(m.groupInstanceId())
              .setClientId(m.clientId())
              .setClientHost(m.clientHost())
              .setRebalanceTimeout(m.rebalanceTimeoutMs())
              .setSessionTimeout(m.sessionTimeoutMs())
              .setSubscription(subscription == null ? NO_BYTES : subscription)
              .setAssignment(assignment.getOrDefault(m.memberId(), NO_BYTES)));
    }
    return GroupRecord.of(
        new GroupMetadataKey().setGroup(group.groupId()),
        new GroupMetadataValue()
            .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
            .setGeneration(group.generationId())
            .setProtocol(group.protocolName())
            .setLeader(group.leaderId())
            .setCurrentStateTimestamp(group.stateTimestampMs())
            .setMembers(members));
  }

  /** Rebuilds a group from its record on start-up: Stable with its members, or Empty. */
  void restore(ClassicGroup group, GroupMetadataValue value) {
    String protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
    List<ClassicGroupMember> members = new ArrayList<>();
    for (MemberMetadata m : value.members()) {
      List<ClassicGroupMember.Protocol> protocols =
          value.protocol() == null
              ? List.of()
              : List.of(new ClassicGroupMember.Protocol(value.protocol(), m.subscription()));
      ClassicGroupMember member =
          new ClassicGroupMember(
              m.memberId(),
              m.groupInstanceId(),
              m.clientId(),
              m.clientHost(),
              m.rebalanceTimeout(),
              m.sessionTimeout(),
              protocolType,
              protocols);
      member.setAssignment(m.assignment());
      members.add(member);
    }
    group.restore(
        value.generation(),
        protocolType,
        value.protocol(),
        value.leader(),
        value.currentStateTimestamp(),
        members);
  }
}
