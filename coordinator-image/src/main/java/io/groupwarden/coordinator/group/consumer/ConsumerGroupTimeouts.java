package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.GroupConfig;
import io.groupwarden.coordinator.group.GroupContext;
import io.groupwarden.coordinator.group.GroupMetrics;
import io.groupwarden.coordinator.group.GroupTimer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of consumer-group members. Every member must heartbeat within its session timeout
 * (the broker's for consumer-protocol members, the one it sent in JoinGroup for a classic member).
 * A member asked to revoke partitions must do so within its rebalance timeout; a classic member
 * asked to join again must, and after joining must send SyncGroup, each within its rebalance
 * timeout. A member that misses one is removed through {@link Fence}.
 */
final class ConsumerGroupTimeouts {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupTimeouts.class);

  /** Removes a member that missed a deadline; {@code why} is logged. */
  @FunctionalInterface
  interface Fence {
    CoordinatorResult<Void> fence(ConsumerGroup group, String memberId, String why);
  }

  /** Finds a live consumer group by id, or null. */
  @FunctionalInterface
  interface Groups {
    ConsumerGroup find(String groupId);
  }

  private final GroupConfig config;
  private final LongSupplier clock;
  private final GroupTimer timer;
  private final GroupMetrics metrics;
  private final Groups groups;
  private Fence fence;

  ConsumerGroupTimeouts(GroupContext context, Groups groups) {
    this.config = context.config();
    this.clock = context.clock();
    this.timer = context.timer();
    this.metrics = context.metrics();
    this.groups = groups;
  }

  void onExpiry(Fence fence) {
    this.fence = fence;
  }

  static String sessionKey(String groupId, String memberId) {
    return "consumer-session/" + groupId + "/" + memberId;
  }

  static String rebalanceKey(String groupId, String memberId) {
    return "consumer-rebalance/" + groupId + "/" + memberId;
  }

  static String joinKey(String groupId, String memberId) {
    return "consumer-join/" + groupId + "/" + memberId;
  }

  static String syncKey(String groupId, String memberId) {
    return "consumer-sync/" + groupId + "/" + memberId;
  }

  /** The session timeout of a member: its own if it speaks the classic protocol. */
  int sessionTimeoutMs(ConsumerGroupMember member) {
    return member.usesClassicProtocol()
        ? member.classic().sessionTimeoutMs()
        : config.consumerSessionTimeoutMs();
  }

  // ---------------------------------------------------------------- sessions

  /** The member was heard from: its session runs again from now. */
  void heardFrom(ConsumerGroup group, ConsumerGroupMember member) {
    // As for classic members: a heartbeat only moves the deadline; the timer is re-armed lazily.
    String memberId = member.memberId();
    long timeoutMs = sessionTimeoutMs(member);
    long now = clock.getAsLong();
    group.setSessionDeadline(memberId, now + timeoutMs);
    long due = group.sessionTimerDue(memberId);
    if (due == 0 || now + timeoutMs < due) {
      armSession(group, memberId, timeoutMs);
    }
  }

  private void armSession(ConsumerGroup group, String memberId, long delayMs) {
    String groupId = group.groupId();
    group.setSessionTimerDue(memberId, clock.getAsLong() + delayMs);
    timer.schedule(sessionKey(groupId, memberId), delayMs, () -> sessionExpired(groupId, memberId));
  }

  private CoordinatorResult<Void> sessionExpired(String groupId, String memberId) {
    ConsumerGroup group = groups.find(groupId);
    if (group == null || group.member(memberId) == null) {
      return CoordinatorResult.none();
    }
    group.setSessionTimerDue(memberId, 0);
    Long deadline = group.sessionDeadline(memberId);
    long remaining = deadline == null ? 0 : deadline - clock.getAsLong();
    if (remaining > 0) {
      armSession(group, memberId, remaining);
      return CoordinatorResult.none();
    }
    return expired(group, memberId, "its session timed out");
  }

  // ---------------------------------------------------------------- revocation

  /** A member asked to revoke partitions must do so within its rebalance timeout. */
  void reconciled(ConsumerGroup group, ConsumerGroupMember before, ConsumerGroupMember after) {
    String groupId = group.groupId();
    String memberId = after.memberId();
    ConsumerGroupMember.Reconciliation was = before.reconciliation();
    ConsumerGroupMember.Reconciliation now = after.reconciliation();
    if (now.state() != MemberState.UNREVOKED_PARTITIONS) {
      if (was.state() == MemberState.UNREVOKED_PARTITIONS) {
        timer.cancel(rebalanceKey(groupId, memberId));
      }
      return;
    }
    if (was.state() == MemberState.UNREVOKED_PARTITIONS
        && was.memberEpoch() == now.memberEpoch()
        && was.pendingRevocation().equals(now.pendingRevocation())) {
      return;
    }
    armRevocation(groupId, after);
  }

  private void armRevocation(String groupId, ConsumerGroupMember member) {
    String memberId = member.memberId();
    int epoch = member.reconciliation().memberEpoch();
    timer.schedule(
        rebalanceKey(groupId, memberId),
        Math.max(1, member.metadata().rebalanceTimeoutMs()),
        () -> revocationTimedOut(groupId, memberId, epoch));
  }

  private CoordinatorResult<Void> revocationTimedOut(String groupId, String memberId, int epoch) {
    ConsumerGroup group = groups.find(groupId);
    ConsumerGroupMember member = group == null ? null : group.member(memberId);
    if (member == null
        || member.reconciliation().state() != MemberState.UNREVOKED_PARTITIONS
        || member.reconciliation().memberEpoch() != epoch) {
      return CoordinatorResult.none();
    }
    return expired(group, memberId, "it did not revoke its partitions in time");
  }

  /** A static member that left with epoch -2 has nothing to revoke until it comes back. */
  void cancelRevocation(String groupId, String memberId) {
    timer.cancel(rebalanceKey(groupId, memberId));
  }

  // ---------------------------------------------------------------- classic members

  /** A classic member was told to join again: it must, within its rebalance timeout. */
  void rejoinRequested(ConsumerGroup group, ConsumerGroupMember member) {
    if (!group.markRejoinRequested(member.memberId())) {
      return;
    }
    String groupId = group.groupId();
    String memberId = member.memberId();
    timer.schedule(
        joinKey(groupId, memberId),
        Math.max(1, member.metadata().rebalanceTimeoutMs()),
        () -> classicDeadlineMissed(groupId, memberId, "it did not join again in time"));
  }

  /** A classic member joined: it must now send SyncGroup within its rebalance timeout. */
  void joined(ConsumerGroup group, ConsumerGroupMember member) {
    String groupId = group.groupId();
    String memberId = member.memberId();
    group.clearRejoinRequested(memberId);
    timer.cancel(joinKey(groupId, memberId));
    timer.schedule(
        syncKey(groupId, memberId),
        Math.max(1, member.metadata().rebalanceTimeoutMs()),
        () -> classicDeadlineMissed(groupId, memberId, "it did not send SyncGroup in time"));
  }

  void synced(ConsumerGroup group, String memberId) {
    timer.cancel(syncKey(group.groupId(), memberId));
  }

  private CoordinatorResult<Void> classicDeadlineMissed(
      String groupId, String memberId, String why) {
    ConsumerGroup group = groups.find(groupId);
    if (group == null || group.member(memberId) == null) {
      return CoordinatorResult.none();
    }
    group.clearRejoinRequested(memberId);
    return expired(group, memberId, why);
  }

  // ----------------------------------------------------------------

  private CoordinatorResult<Void> expired(ConsumerGroup group, String memberId, String why) {
    LOG.info("member {} of consumer group {} is removed: {}", memberId, group.groupId(), why);
    metrics.memberTimedOut();
    return fence.fence(group, memberId, why);
  }

  /** Stops every deadline of a member that is gone. */
  void cancelAll(String groupId, String memberId) {
    timer.cancel(sessionKey(groupId, memberId));
    timer.cancel(rebalanceKey(groupId, memberId));
    timer.cancel(joinKey(groupId, memberId));
    timer.cancel(syncKey(groupId, memberId));
  }

  /** After start-up: every member must be heard from, and revocations in progress go on. */
  void loaded(ConsumerGroup group) {
    for (ConsumerGroupMember member : group.members()) {
      heardFrom(group, member);
      if (member.reconciliation().state() == MemberState.UNREVOKED_PARTITIONS) {
        armRevocation(group.groupId(), member);
      }
    }
  }
}
