package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.GroupContext;
import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.GroupRegistry;
import io.groupwarden.coordinator.group.TopicMetadata;
import io.groupwarden.coordinator.group.classic.ClassicGroup;
import io.groupwarden.coordinator.group.classic.ClassicGroupManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * The consumer groups of one shard (KIP-848): members speaking the consumer protocol
 * (ConsumerGroupHeartbeat) and, during a rolling upgrade or downgrade, members speaking the classic
 * one, all assigned by the broker. Pure logic on the shard thread. Handlers build Kafka's {@code
 * ConsumerGroup*} records and apply each at once through {@link #replay}, the same code that
 * rebuilds groups on start-up; the response leaves when the records are durable.
 *
 * <p>The jobs are split as follows: {@link ConsumerHeartbeatHandler} and {@link
 * ClassicMemberHandler} take the requests of either kind of member, {@link Membership} moves the
 * group epoch, the target assignment and each member's reconciliation, {@link
 * ConsumerGroupTimeouts} keeps the deadlines, {@link GroupConversion} turns classic groups into
 * consumer groups and back, {@link ConsumerGroupReplay} owns the records, and {@link
 * ConsumerGroupDescriber} answers ConsumerGroupDescribe.
 */
public final class ConsumerGroupManager {
  private final GroupRegistry groups;
  private final TopicMetadata topics;
  private final ClassicGroupManager classic;
  private final ConsumerGroupReplay records;
  private final Membership.AssignorChoice assignors;
  private final Membership membership;
  private final ConsumerGroupTimeouts timeouts;
  private final GroupConversion conversion;
  private final ConsumerHeartbeatHandler consumerMembers;
  private final ClassicMemberHandler classicMembers;

  public ConsumerGroupManager(GroupContext context, ClassicGroupManager classic) {
    this.groups = context.groups();
    this.topics = context.topics();
    this.classic = classic;
    this.records = new ConsumerGroupReplay(context);
    this.assignors = new Membership.AssignorChoice(context.config().assignors());
    this.timeouts = new ConsumerGroupTimeouts(context, this::group);
    ConsumerGroupParts parts =
        new ConsumerGroupParts(context, records, timeouts, new EmbeddedConsumerProtocol(topics));
    this.membership = new Membership(parts, assignors);
    this.conversion = new GroupConversion(parts, membership, classic.conversion());
    this.consumerMembers = new ConsumerHeartbeatHandler(parts, membership, this::fence);
    this.classicMembers = new ClassicMemberHandler(parts, membership);
    timeouts.onExpiry(this::fence);
  }

  /** The consumer group with this id, or null. */
  public ConsumerGroup group(String groupId) {
    ConsumerGroup group = groups.get(groupId, ConsumerGroup.class);
    return group == null || group.isDead() ? null : group;
  }

  // ---------------------------------------------------------------- ConsumerGroupHeartbeat

  public CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(
      Client client, ConsumerGroupHeartbeatRequestData request) {
    Refusal invalid = consumerMembers.validate(client, request);
    if (invalid != null) {
      return ConsumerHeartbeatHandler.refuse(invalid);
    }
    if (request.memberEpoch() < 0) {
      return consumerMembers.leave(request, group(request.groupId()));
    }
    ConsumerGroup group = group(request.groupId());
    if (group != null) {
      return consumerMembers.heartbeat(client, request, group);
    }
    Group existing = groups.get(request.groupId());
    if (request.memberEpoch() != 0) {
      return ConsumerHeartbeatHandler.refuse(
          existing == null || existing.isDead() || existing.isEmpty()
              ? new Refusal(
                  org.apache.kafka.common.protocol.Errors.UNKNOWN_MEMBER_ID,
                  "Group " + request.groupId() + " has no members")
              : new Refusal(
                  org.apache.kafka.common.protocol.Errors.GROUP_ID_NOT_FOUND,
                  "Group " + request.groupId() + " is not a consumer group."));
    }
    if (existing instanceof ClassicGroup classicGroup
        && !classicGroup.isDead()
        && !classicGroup.isEmpty()) {
      // The first member of a rolling upgrade: the classic group becomes a consumer group with its
      // members in it, then this member joins it.
      List<GroupRecord> converted = new ArrayList<>();
      GroupConversion.Upgrade upgrade = conversion.upgrade(classicGroup, converted);
      if (upgrade.group() == null) {
        return ConsumerHeartbeatHandler.refuse(upgrade.asRefusal());
      }
      return prepend(converted, consumerMembers.heartbeat(client, request, upgrade.group()));
    }
    return consumerMembers.heartbeat(client, request, new ConsumerGroup(request.groupId(), topics));
  }

  // ---------------------------------------------------------------- classic members

  /**
   * JoinGroup of a classic member to a consumer group with members. A static member taking over the
   * place of the last consumer-protocol member turns the group back into a classic group, which it
   * then joins as any classic group.
   */
  public CoordinatorResult<Void> classicJoin(
      ConsumerGroup group,
      Client client,
      JoinGroupRequestData request,
      CompletableFuture<JoinGroupResponseData> future) {
    String instanceId = request.groupInstanceId();
    String replaced = instanceId == null ? null : group.staticMemberId(instanceId);
    if (replaced != null
        && request.memberId().isEmpty()
        && group.onlyConsumerProtocolMemberIs(replaced)) {
      List<GroupRecord> out = new ArrayList<>();
      CoordinatorResult<Void> converted = fence(group, replaced, out);
      if (group(group.groupId()) != null) {
        // It was the only member: the consumer group is empty now and gives way to a classic one.
        delete(group(group.groupId()), out);
      }
      CoordinatorResult<Void> joined = classic.join(client, request, future);
      out.addAll(joined.records());
      return new CoordinatorResult<>(
          out,
          null,
          () -> {
            converted.afterPersist().run();
            joined.afterPersist().run();
          });
    }
    return classicMembers.join(group, client, request, future);
  }

  public CoordinatorResult<Void> classicSync(
      ConsumerGroup group,
      SyncGroupRequestData request,
      CompletableFuture<SyncGroupResponseData> future) {
    return classicMembers.sync(group, request, future);
  }

  public CoordinatorResult<HeartbeatResponseData> classicHeartbeat(
      ConsumerGroup group, HeartbeatRequestData request) {
    return classicMembers.heartbeat(group, request);
  }

  public CoordinatorResult<LeaveGroupResponseData> classicLeave(
      ConsumerGroup group, List<MemberIdentity> leaving) {
    return classicMembers.leave(group, leaving);
  }

  // ---------------------------------------------------------------- members going

  /**
   * Removes a member that left or missed a deadline, and moves the group epoch. When it was the
   * last member speaking the consumer protocol and classic members remain, the group becomes a
   * classic group instead (the end of a rolling downgrade).
   */
  private CoordinatorResult<Void> fence(ConsumerGroup group, String memberId, String why) {
    List<GroupRecord> out = new ArrayList<>();
    CoordinatorResult<Void> result = fence(group, memberId, out);
    return new CoordinatorResult<>(out, null, result.afterPersist());
  }

  /** As {@link #fence(ConsumerGroup, String, String)}, adding the records to {@code out}. */
  private CoordinatorResult<Void> fence(
      ConsumerGroup group, String memberId, List<GroupRecord> out) {
    if (conversion.downgradesWithout(group, memberId)) {
      return conversion.downgrade(group, memberId, out);
    }
    membership.removeAndBump(group, List.of(memberId), out);
    membership.noteIfStable(group);
    return CoordinatorResult.none();
  }

  /** Removes an empty group (DeleteGroups, its last offsets expired, or a classic group's turn). */
  public void delete(ConsumerGroup group, List<GroupRecord> out) {
    records.apply(out, ConsumerGroupRecords.targetEpochTombstone(group.groupId()));
    records.apply(out, ConsumerGroupRecords.groupTombstone(group.groupId()));
  }

  // ---------------------------------------------------------------- ConsumerGroupDescribe

  /** ConsumerGroupDescribe of one group: GROUP_ID_NOT_FOUND when it is not a consumer group. */
  public ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId) {
    return ConsumerGroupDescriber.describe(
        groupId,
        group(groupId),
        groups.get(groupId),
        topics,
        g -> assignors.forMembers(g.members()).name());
  }

  // ---------------------------------------------------------------- replay and loading

  /** Applies a consumer group record: at once when a handler makes it, and on start-up. */
  public void replay(GroupRecord record) {
    records.replay(record);
  }

  /** After replay: every member must heartbeat within its session timeout. */
  public void finishLoading() {
    for (ConsumerGroup group : groups.all(ConsumerGroup.class)) {
      timeouts.loaded(group);
    }
  }

  /** The records a compacted log must hold for the consumer groups. */
  public void snapshot(List<GroupRecord> out) {
    records.snapshot(out);
  }

  private static <T> CoordinatorResult<T> prepend(
      List<GroupRecord> first, CoordinatorResult<T> result) {
    List<GroupRecord> all = new ArrayList<>(first);
    all.addAll(result.records());
    return new CoordinatorResult<>(all, result.response(), result.afterPersist());
  }
}
