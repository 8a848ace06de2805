package io.groupwarden.coordinator.group.consumer;

import java.util.List;
import java.util.Objects;

/**
 * A member of a consumer group (KIP-848), immutable: who it is, what it declares about itself, and
 * where it is in its reconciliation. {@code classic} is null for a member of the consumer protocol
 * and set for one speaking the classic protocol (JoinGroup, SyncGroup) during a rolling upgrade or
 * downgrade.
 */
public record ConsumerGroupMember(
    String memberId,
    String instanceId,
    Metadata metadata,
    Reconciliation reconciliation,
    ClassicMemberMetadata classic) {

  /** The epoch a static member has between leaving with epoch -2 and coming back. */
  public static final int LEFT_STATIC_EPOCH = -2;

  /**
   * What the member declares in its heartbeats (or JoinGroups): where it runs, what it subscribes
   * to, and which server-side assignor it asks for.
   */
  public record Metadata(
      String rackId,
      String clientId,
      String clientHost,
      List<String> subscribedTopicNames,
      String subscribedTopicRegex,
      String serverAssignor,
      int rebalanceTimeoutMs) {
    /** What a member declares before its first heartbeat is read. */
    static final Metadata NONE = new Metadata(null, "", "", List.of(), null, null, 0);

    /** An empty regex, as a heartbeat sends to drop the regex, is stored as none. */
    public Metadata {
      subscribedTopicNames = List.copyOf(subscribedTopicNames);
      if (subscribedTopicRegex != null && subscribedTopicRegex.isEmpty()) {
        subscribedTopicRegex = null;
      }
    }
  }

  /**
   * Where the member is in its reconciliation: {@code assigned} is what it owns now, {@code
   * pendingRevocation} what it must still give up (and still owns until it says it did).
   */
  public record Reconciliation(
      int memberEpoch,
      int previousMemberEpoch,
      MemberState state,
      Assignment assigned,
      Assignment pendingRevocation) {
    /** Epoch 0, nothing assigned: a member that just joined, or whose assignment was deleted. */
    static final Reconciliation NONE =
        new Reconciliation(0, 0, MemberState.STABLE, Assignment.EMPTY, Assignment.EMPTY);

    /** What the member owns: its assigned partitions and those it has still to give up. */
    public Assignment owned() {
      return assigned.union(pendingRevocation);
    }

    /** A static member that left: epoch -2, its last epoch kept as the previous one. */
    Reconciliation leftStatically() {
      return new Reconciliation(LEFT_STATIC_EPOCH, memberEpoch, state, assigned, pendingRevocation);
    }
  }

  /** A member that just joined: epoch 0, nothing assigned. */
  static ConsumerGroupMember joining(String memberId, String instanceId) {
    return new ConsumerGroupMember(memberId, instanceId, Metadata.NONE, Reconciliation.NONE, null);
  }

  public boolean isStatic() {
    return instanceId != null;
  }

  /** True when it speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat). */
  public boolean usesClassicProtocol() {
    return classic != null;
  }

  public boolean hasLeftStatically() {
    return reconciliation.memberEpoch() == LEFT_STATIC_EPOCH;
  }

  /** The same member speaking the classic protocol with this metadata, or (null) the new one. */
  ConsumerGroupMember withClassic(ClassicMemberMetadata classic) {
    return new ConsumerGroupMember(memberId, instanceId, metadata, reconciliation, classic);
  }

  ConsumerGroupMember withMetadata(String instanceId, Metadata metadata) {
    return new ConsumerGroupMember(memberId, instanceId, metadata, reconciliation, classic);
  }

  ConsumerGroupMember withReconciliation(Reconciliation reconciliation) {
    return new ConsumerGroupMember(memberId, instanceId, metadata, reconciliation, classic);
  }

  /**
   * A static member that came back under a new id: its old self, partitions and reconciliation
   * state, at its last epoch (the one it had before it left, when it left).
   */
  ConsumerGroupMember rejoinedAs(String newMemberId) {
    Reconciliation r = reconciliation;
    int epoch = hasLeftStatically() ? r.previousMemberEpoch() : r.memberEpoch();
    return new ConsumerGroupMember(
        newMemberId,
        instanceId,
        metadata,
        new Reconciliation(epoch, epoch, r.state(), r.assigned(), r.pendingRevocation()),
        classic);
  }

  /** True when the subscription (what decides the target assignment) differs. */
  boolean subscriptionDiffers(ConsumerGroupMember other) {
    Metadata mine = metadata;
    Metadata theirs = other.metadata;
    return !mine.subscribedTopicNames().equals(theirs.subscribedTopicNames())
        || !Objects.equals(mine.subscribedTopicRegex(), theirs.subscribedTopicRegex())
        || !Objects.equals(mine.serverAssignor(), theirs.serverAssignor())
        || !Objects.equals(mine.rackId(), theirs.rackId());
  }
}
