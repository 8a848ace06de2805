package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.GroupRecord.GroupMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic group as its durable record, and back. The last record written for each group is kept
 * so that compaction can write the state without touching live groups.
 */
final class ClassicGroupRecords {
  private static final byte[] NO_BYTES = new byte[0];
  private final Map<String, GroupMetadata> persisted = new HashMap<>();

  void persisted(GroupMetadata record) {
    persisted.put(record.groupId(), record);
  }

  void removed(String groupId) {
    persisted.remove(groupId);
  }

  void snapshot(List<GroupRecord> out) {
    out.addAll(persisted.values());
  }

  /** The group's generation with these assignments (member id to bytes; absent: none). */
  GroupMetadata metadata(ClassicGroup group, Map<String, byte[]> assignment) {
    List<GroupRecord.Member> members = new ArrayList<>();
    for (ClassicGroupMember m : group.members()) {
      List<String> names = new ArrayList<>();
      List<byte[]> metadata = new ArrayList<>();
      for (ClassicGroupMember.Protocol p : m.protocols()) {
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

  /** Rebuilds a group from its record on start-up: Stable with its members, or Empty. */
  void restore(ClassicGroup group, GroupMetadata g) {
    List<ClassicGroupMember> members = new ArrayList<>();
    for (GroupRecord.Member m : g.members()) {
      List<ClassicGroupMember.Protocol> protocols = new ArrayList<>();
      for (int i = 0; i < m.protocolNames().size(); i++) {
        protocols.add(
            new ClassicGroupMember.Protocol(m.protocolNames().get(i), m.protocolMetadata().get(i)));
      }
      ClassicGroupMember member =
          new ClassicGroupMember(
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
}
