package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.consumer.ConsumerGroupMember.Reconciliation;
import org.apache.kafka.common.Uuid;

/**
 * Moves a member towards its target assignment, one safe step at a time (pure). A member first
 * revokes what it must give up, keeping its epoch; only when it reports that it no longer owns
 * those partitions does it move to the target epoch, and then it gets only the partitions no other
 * member still owns: a partition is never owned by two members at once.
 */
final class MemberReconciler {
  /** Which member owns a partition now (assigned or pending revocation), or null. */
  @FunctionalInterface
  interface Owners {
    String ownerOf(Uuid topicId, int partition);
  }

  private MemberReconciler() {}

  /**
   * The member after a heartbeat. {@code owned} is what the client reports it owns, or null when
   * the heartbeat did not say.
   */
  static ConsumerGroupMember reconcile(
      ConsumerGroupMember member,
      int targetEpoch,
      Assignment target,
      Assignment owned,
      Owners owners) {
    return switch (member.reconciliation().state()) {
      case UNREVOKED_PARTITIONS ->
          owned != null && !owned.overlaps(member.reconciliation().pendingRevocation())
              ? next(member, targetEpoch, target, owners)
              : member;
      case UNRELEASED_PARTITIONS -> next(member, targetEpoch, target, owners);
      case STABLE ->
          member.reconciliation().memberEpoch() == targetEpoch
              ? member
              : next(member, targetEpoch, target, owners);
    };
  }

  private static ConsumerGroupMember next(
      ConsumerGroupMember member, int targetEpoch, Assignment target, Owners owners) {
    Reconciliation now = member.reconciliation();
    Assignment keep = now.assigned().intersect(target);
    Assignment revoke = now.assigned().minus(target);
    if (!revoke.isEmpty()) {
      return member.withReconciliation(
          new Reconciliation(
              now.memberEpoch(),
              now.previousMemberEpoch(),
              MemberState.UNREVOKED_PARTITIONS,
              keep,
              revoke));
    }
    Assignment wanted = target.minus(keep);
    Assignment free =
        wanted.filter(
            (topicId, partition) -> {
              String owner = owners.ownerOf(topicId, partition);
              return owner == null || owner.equals(member.memberId());
            });
    int previousEpoch =
        now.memberEpoch() == targetEpoch ? now.previousMemberEpoch() : now.memberEpoch();
    return member.withReconciliation(
        new Reconciliation(
            targetEpoch,
            previousEpoch,
            free.size() == wanted.size() ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS,
            keep.union(free),
            Assignment.EMPTY));
  }
}
