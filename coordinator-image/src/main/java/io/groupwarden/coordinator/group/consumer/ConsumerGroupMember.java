package io.groupwarden.coordinator.group.consumer;

import java.util.List;

/**
 * A member of a consumer group (KIP-848), immutable: what it subscribes to, and where it is in its
 * reconciliation. {@code assigned} is what it owns now; {@code pendingRevocation} is what it must
 * still give up (and still owns until it says it did). {@code classic} is null for a member of the
 * consumer protocol and set for one speaking the classic protocol (JoinGroup, SyncGroup) during a
 * rolling upgrade or downgrade.
 */
public record ConsumerGroupMember(
    String memberId,
    String instanceId,
    String rackId,
    String clientId,
    String clientHost,
    List<String> subscribedTopicNames,
    String subscribedTopicRegex,
    String serverAssignor,
    int rebalanceTimeoutMs,
    int memberEpoch,
    int previousMemberEpoch,
    MemberState state,
    Assignment assigned,
    Assignment pendingRevocation,
    ClassicMemberMetadata classic) {

  /** The epoch a static member has between leaving with epoch -2 and coming back. */
  public static final int LEFT_STATIC_EPOCH = -2;

  public ConsumerGroupMember {
    subscribedTopicNames = List.copyOf(subscribedTopicNames);
  }

  /** A member that just joined: epoch 0, nothing assigned. */
  static ConsumerGroupMember joining(String memberId, String instanceId) {
    return new ConsumerGroupMember(
        memberId,
        instanceId,
        null,
        "",
        "",
        List.of(),
        null,
        null,
        0,
        0,
        0,
        MemberState.STABLE,
        Assignment.EMPTY,
        Assignment.EMPTY,
        null);
  }

  public boolean isStatic() {
    return instanceId != null;
  }

  /** True when it speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat). */
  public boolean usesClassicProtocol() {
    return classic != null;
  }

  /** The same member speaking the classic protocol with this metadata, or (null) the new one. */
  ConsumerGroupMember withClassic(ClassicMemberMetadata metadata) {
    return new ConsumerGroupMember(
        memberId,
        instanceId,
        rackId,
        clientId,
        clientHost,
        subscribedTopicNames,
        subscribedTopicRegex,
        serverAssignor,
        rebalanceTimeoutMs,
        memberEpoch,
        previousMemberEpoch,
        state,
        assigned,
        pendingRevocation,
        metadata);
  }

  public boolean hasLeftStatically() {
    return memberEpoch == LEFT_STATIC_EPOCH;
  }

  ConsumerGroupMember withMetadata(
      String instanceId,
      String rackId,
      String clientId,
      String clientHost,
      List<String> subscribedTopicNames,
      String subscribedTopicRegex,
      String serverAssignor,
      int rebalanceTimeoutMs) {
    return new ConsumerGroupMember(
        memberId,
        instanceId,
        rackId,
        clientId,
        clientHost,
        subscribedTopicNames,
        subscribedTopicRegex,
        serverAssignor,
        rebalanceTimeoutMs,
        memberEpoch,
        previousMemberEpoch,
        state,
        assigned,
        pendingRevocation,
        classic);
  }

  ConsumerGroupMember withAssignment(
      int memberEpoch,
      int previousMemberEpoch,
      MemberState state,
      Assignment assigned,
      Assignment pendingRevocation) {
    return new ConsumerGroupMember(
        memberId,
        instanceId,
        rackId,
        clientId,
        clientHost,
        subscribedTopicNames,
        subscribedTopicRegex,
        serverAssignor,
        rebalanceTimeoutMs,
        memberEpoch,
        previousMemberEpoch,
        state,
        assigned,
        pendingRevocation,
        classic);
  }

  /**
   * A static member that came back under a new id: its old self, partitions and reconciliation
   * state, at its last epoch (the one it had before it left, when it left).
   */
  ConsumerGroupMember rejoinedAs(String newMemberId) {
    int epoch = hasLeftStatically() ? previousMemberEpoch : memberEpoch;
    return new ConsumerGroupMember(
        newMemberId,
        instanceId,
        rackId,
        clientId,
        clientHost,
        subscribedTopicNames,
        subscribedTopicRegex,
        serverAssignor,
        rebalanceTimeoutMs,
        epoch,
        epoch,
        state,
        assigned,
        pendingRevocation,
        classic);
  }

  /** True when the subscription (what decides the target assignment) differs. */
  boolean subscriptionDiffers(ConsumerGroupMember other) {
    return !subscribedTopicNames.equals(other.subscribedTopicNames)
        || !java.util.Objects.equals(subscribedTopicRegex, other.subscribedTopicRegex)
        || !java.util.Objects.equals(serverAssignor, other.serverAssignor)
        || !java.util.Objects.equals(rackId, other.rackId);
  }
}
