package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The classic side of a rolling upgrade or downgrade (KIP-848's online migration): a classic group
 * with members gives way to a consumer group when a consumer-protocol member joins it, and a
 * consumer group whose last consumer-protocol member went becomes a classic group again. The
 * consumer-group side builds its own records; this class releases or takes over the classic group.
 */
public final class ClassicGroupConversion {
  private final ClassicGroupManager manager;

  ClassicGroupConversion(ClassicGroupManager manager) {
    this.manager = manager;
  }

  /**
   * Removes a classic group that is turning into a consumer group: members parked in JoinGroup or
   * SyncGroup are told REBALANCE_IN_PROGRESS (they join again, and find the consumer group), its
   * timers stop, and its record is removed (the consumer group's records follow in {@code out}).
   */
  public void release(ClassicGroup group, List<GroupRecord> out) {
    String groupId = group.groupId();
    short rejoin = Errors.REBALANCE_IN_PROGRESS.code();
    for (ClassicGroupMember member : group.members()) {
      group.completeJoin(
          member, new JoinGroupResponseData().setMemberId(member.memberId()).setErrorCode(rejoin));
      group.completeSync(member, new SyncGroupResponseData().setErrorCode(rejoin));
      manager.cancelHeartbeat(groupId, member);
    }
    for (String pending : group.pendingJoins()) {
      manager.context.timer().cancel(ClassicGroupManager.heartbeatKey(groupId, pending));
    }
    manager.context.timer().cancel(ClassicRebalance.joinKey(groupId));
    manager.context.timer().cancel(ClassicRebalance.syncKey(groupId));
    out.add(GroupRecord.groupTombstone(groupId));
    // The records are applied when durable; the snapshot a compaction writes meanwhile must
    // already leave this group out, or it would hold both the classic and the consumer group.
    manager.records.removed(groupId);
    group.transitionTo(ClassicGroupState.DEAD, manager.now());
    manager.context.groups().remove(groupId);
  }

  /**
   * Takes over the members of a consumer group turning back into a classic group: a Stable group at
   * {@code generationId} whose members keep what they own ({@code assignmentOf} encodes a member's
   * partitions for the protocol the group selects, given the member id and its metadata for that
   * protocol), then a rebalance so that they join again the classic way and a leader assigns.
   */
  public CoordinatorResult<Void> adopt(
      String groupId,
      int generationId,
      List<ClassicGroupMember> members,
      BiFunction<String, byte[], byte[]> assignmentOf,
      List<GroupRecord> out) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a converted group has members");
    }
    long now = manager.now();
    ClassicGroup group = new ClassicGroup(groupId, now);
    group.restore(
        generationId,
        ClassicGroup.CONSUMER_PROTOCOL_TYPE,
        null,
        members.get(0).memberId(),
        now,
        members);
    String protocol = group.selectProtocol();
    group.setProtocolName(protocol);
    Map<String, byte[]> assignments = new HashMap<>();
    for (ClassicGroupMember member : group.members()) {
      byte[] assignment = assignmentOf.apply(member.memberId(), member.metadata(protocol));
      member.setAssignment(assignment);
      assignments.put(member.memberId(), assignment);
    }
    GroupRecord record = manager.records.metadata(group, assignments);
    out.add(record);
    manager.records.persisted(groupId, record);
    manager.context.groups().put(group);
    for (ClassicGroupMember member : group.members()) {
      manager.scheduleHeartbeat(group, member, member.sessionTimeoutMs());
    }
    CoordinatorResult<Void> rebalance = manager.rebalance.prepareRebalance(group);
    out.addAll(rebalance.records());
    return rebalance;
  }
}
