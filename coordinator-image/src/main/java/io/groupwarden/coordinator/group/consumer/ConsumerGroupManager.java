package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.GroupConfig;
import io.groupwarden.coordinator.group.GroupMetrics;
import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.GroupRegistry;
import io.groupwarden.coordinator.group.GroupTimer;
import io.groupwarden.coordinator.group.TopicMetadata;
import io.groupwarden.coordinator.group.classic.ClassicGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group protocol of KIP-848 for the consumer groups of one shard:
 * ConsumerGroupHeartbeat (join, reconcile, leave), session and rebalance timeouts, and server-side
 * assignment. Pure logic on the shard thread. A handler builds Kafka's {@code ConsumerGroup*}
 * records and applies each at once through {@link #replay}, the same code that rebuilds groups on
 * start-up; the response leaves when the records are durable.
 */
public final class ConsumerGroupManager {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupManager.class);
  static final int LEAVE_EPOCH = -1;

  private final GroupConfig config;
  private final LongSupplier clock;
  private final GroupTimer timer;
  private final GroupMetrics metrics;
  private final GroupRegistry groups;
  private final TopicMetadata topics;
  private final ConsumerGroupReplay records;

  public ConsumerGroupManager(
      GroupConfig config,
      LongSupplier clock,
      GroupTimer timer,
      GroupMetrics metrics,
      GroupRegistry groups,
      TopicMetadata topics) {
    this.config = config;
    this.clock = clock;
    this.timer = timer;
    this.metrics = metrics;
    this.groups = groups;
    this.topics = topics;
    this.records = new ConsumerGroupReplay(groups, topics);
  }

  /** The consumer group with this id, or null. */
  public ConsumerGroup group(String groupId) {
    ConsumerGroup group = groups.get(groupId, ConsumerGroup.class);
    return group == null || group.isDead() ? null : group;
  }

  // ---------------------------------------------------------------- ConsumerGroupHeartbeat

  /** A refusal: the error and why, with no change made. */
  private record Refusal(Errors error, String message) {}

  public CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(
      Client client, ConsumerGroupHeartbeatRequestData request) {
    metrics.heartbeat();
    Refusal invalid = validate(client, request);
    if (invalid != null) {
      return refuse(invalid);
    }
    if (request.memberEpoch() < 0) {
      return leave(request);
    }
    Group existing = groups.get(request.groupId());
    ConsumerGroup group = existing instanceof ConsumerGroup g && !g.isDead() ? g : null;
    if (group == null) {
      if (existing != null && !existing.isDead() && !existing.isEmpty()) {
        return refuse(
            Errors.GROUP_ID_NOT_FOUND,
            "Group " + request.groupId() + " is a classic group with members");
      }
      if (request.memberEpoch() != 0) {
        return refuse(Errors.UNKNOWN_MEMBER_ID, "Group " + request.groupId() + " has no members");
      }
      group = new ConsumerGroup(request.groupId(), topics);
    }
    return join(client, request, group);
  }

  private Refusal validate(Client client, ConsumerGroupHeartbeatRequestData request) {
    if (request.groupId() == null || request.groupId().isEmpty()) {
      return new Refusal(Errors.INVALID_REQUEST, "GroupId can't be empty.");
    }
    if (request.instanceId() != null && request.instanceId().isEmpty()) {
      return new Refusal(Errors.INVALID_REQUEST, "InstanceId can't be empty.");
    }
    if (request.rackId() != null && request.rackId().isEmpty()) {
      return new Refusal(Errors.INVALID_REQUEST, "RackId can't be empty.");
    }
    boolean memberIdRequired = client.apiVersion() >= 1 || request.memberEpoch() != 0;
    if (memberIdRequired && (request.memberId() == null || request.memberId().isEmpty())) {
      return new Refusal(Errors.INVALID_REQUEST, "MemberId can't be empty.");
    }
    if (request.memberEpoch() == 0) {
      if (request.rebalanceTimeoutMs() <= 0) {
        return new Refusal(
            Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
      }
      if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
        return new Refusal(
            Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
      }
      boolean names =
          request.subscribedTopicNames() != null && !request.subscribedTopicNames().isEmpty();
      boolean regex =
          request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty();
      if (!names && !regex) {
        return new Refusal(
            Errors.INVALID_REQUEST,
            "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
      }
    } else if (request.memberEpoch() < ConsumerGroupMember.LEFT_STATIC_EPOCH) {
      return new Refusal(
          Errors.INVALID_REQUEST, "MemberEpoch is invalid: " + request.memberEpoch());
    } else if (request.memberEpoch() == ConsumerGroupMember.LEFT_STATIC_EPOCH
        && request.instanceId() == null) {
      return new Refusal(
          Errors.INVALID_REQUEST, "InstanceId can't be null when leaving with epoch -2.");
    }
    if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
      String why = RegexSubscriptions.validate(request.subscribedTopicRegex());
      if (why != null) {
        return new Refusal(
            Errors.INVALID_REGULAR_EXPRESSION,
            "SubscribedTopicRegex `" + request.subscribedTopicRegex() + "` is invalid: " + why);
      }
    }
    if (request.serverAssignor() != null
        && config.assignors().get(request.serverAssignor()) == null) {
      return new Refusal(
          Errors.UNSUPPORTED_ASSIGNOR,
          "ServerAssignor "
              + request.serverAssignor()
              + " is not supported. Supported assignors: "
              + String.join(", ", config.assignors().names())
              + ".");
    }
    return null;
  }

  private CoordinatorResult<ConsumerGroupHeartbeatResponseData> join(
      Client client, ConsumerGroupHeartbeatRequestData request, ConsumerGroup group) {
    String groupId = group.groupId();
    String instanceId = request.instanceId();
    ConsumerGroupMember member;
    String replacedMemberId = null;
    boolean newMember = false;
    Assignment owned =
        request.topicPartitions() == null
            ? null
            : Assignment.of(
                request.topicPartitions(),
                ConsumerGroupHeartbeatRequestData.TopicPartitions::topicId,
                ConsumerGroupHeartbeatRequestData.TopicPartitions::partitions);
    if (request.memberEpoch() == 0) {
      String memberId =
          request.memberId() == null || request.memberId().isEmpty()
              ? Uuid.randomUuid().toString()
              : request.memberId();
      String staticId = instanceId == null ? null : group.staticMemberId(instanceId);
      if (staticId != null && !staticId.equals(memberId)) {
        ConsumerGroupMember previous = group.member(staticId);
        if (!previous.hasLeftStatically()) {
          return refuse(
              Errors.UNRELEASED_INSTANCE_ID,
              "Static member with instance id "
                  + instanceId
                  + " is still in the group with member id "
                  + staticId
                  + ".");
        }
        // A static member that left with epoch -2 comes back: it takes over its old self and its
        // partitions, at its last epoch, and nobody else moves.
        member =
            previous
                .withMemberId(memberId)
                .withAssignment(
                    previous.previousMemberEpoch(),
                    previous.previousMemberEpoch(),
                    previous.state(),
                    previous.assigned(),
                    previous.pendingRevocation());
        replacedMemberId = staticId;
      } else if (group.member(memberId) != null) {
        member = group.member(memberId);
      } else {
        member = ConsumerGroupMember.joining(memberId, instanceId);
        newMember = true;
      }
    } else {
      member = group.member(request.memberId());
      if (member == null) {
        return refuse(
            Errors.UNKNOWN_MEMBER_ID,
            "Member " + request.memberId() + " is not a member of group " + groupId + ".");
      }
      if (instanceId != null && !instanceId.equals(member.instanceId())) {
        return refuse(
            Errors.FENCED_INSTANCE_ID,
            "Instance id " + instanceId + " does not match member " + request.memberId() + ".");
      }
      if (member.hasLeftStatically()) {
        return refuse(Errors.FENCED_MEMBER_EPOCH, "The member left the group.");
      }
      if (request.memberEpoch() != member.memberEpoch()) {
        boolean lostResponse =
            request.memberEpoch() == member.previousMemberEpoch()
                && owned != null
                && owned.minus(member.assigned()).isEmpty();
        if (!lostResponse) {
          return refuse(
              Errors.FENCED_MEMBER_EPOCH,
              "The consumer group member has a smaller member epoch ("
                  + request.memberEpoch()
                  + ") than the one known by the group coordinator ("
                  + member.memberEpoch()
                  + "). The member must abandon all its partitions and rejoin.");
        }
      }
    }
    ConsumerGroupMember updated =
        member.withMetadata(
            instanceId != null ? instanceId : member.instanceId(),
            request.rackId() != null ? request.rackId() : member.rackId(),
            client.clientId(),
            client.clientHost(),
            request.subscribedTopicNames() != null
                ? sorted(request.subscribedTopicNames())
                : member.subscribedTopicNames(),
            request.subscribedTopicRegex() != null
                ? (request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex())
                : member.subscribedTopicRegex(),
            request.serverAssignor() != null ? request.serverAssignor() : member.serverAssignor(),
            request.rebalanceTimeoutMs() > 0
                ? request.rebalanceTimeoutMs()
                : member.rebalanceTimeoutMs());
    boolean subscriptionChanged = newMember || updated.subscriptionDiffers(member);
    boolean metadataChanged =
        newMember || replacedMemberId != null || !sameMetadata(member, updated);

    // The group epoch moves when a subscription or the subscribed topics changed; then a new
    // target assignment is computed over the members as they will be.
    boolean checkTopics = subscriptionChanged || group.topicsVersionSeen() != topics.version();
    Map<String, ConsumerGroupMember> members = null;
    long hash = group.metadataHash();
    if (checkTopics) {
      members = membersAfter(group, updated, replacedMemberId);
      hash = subscriptionHash(group, members.values());
    }
    boolean bump = subscriptionChanged || hash != group.metadataHash();
    int groupEpoch = group.groupEpoch() + (bump ? 1 : 0);
    Map<String, Assignment> target = null;
    if (groupEpoch > group.targetAssignmentEpoch()) {
      if (members == null) {
        members = membersAfter(group, updated, replacedMemberId);
      }
      Map<String, Assignment> current = new HashMap<>(group.targetAssignment());
      if (replacedMemberId != null) {
        current.put(updated.memberId(), group.targetAssignment(replacedMemberId));
        current.remove(replacedMemberId);
      }
      try {
        target =
            TargetAssignmentBuilder.build(
                members.values(),
                m -> topicIds(group, m),
                current,
                topics,
                assignorFor(members.values()));
      } catch (RuntimeException e) {
        LOG.error("assignor failed for group {}", groupId, e);
        return refuse(Errors.UNKNOWN_SERVER_ERROR, "The assignor failed: " + e.getMessage());
      }
    }

    // Decided: write it down, applying each record as it is made.
    List<GroupRecord> records = new ArrayList<>();
    if (groups.get(groupId) instanceof ClassicGroup) {
      // An empty classic group (offsets only) becomes this consumer group; its offsets stay.
      records.add(GroupRecord.groupTombstone(groupId));
    }
    if (replacedMemberId != null) {
      Assignment inherited = group.targetAssignment(replacedMemberId);
      removeMember(group, replacedMemberId, records);
      apply(records, ConsumerGroupRecords.memberMetadata(groupId, updated));
      apply(records, ConsumerGroupRecords.target(groupId, updated.memberId(), inherited));
      apply(records, ConsumerGroupRecords.currentAssignment(groupId, updated));
    } else if (metadataChanged) {
      apply(records, ConsumerGroupRecords.memberMetadata(groupId, updated));
    }
    if (bump) {
      apply(records, ConsumerGroupRecords.epoch(groupId, groupEpoch, hash));
    }
    ConsumerGroup live = group(groupId);
    if (checkTopics) {
      live.setTopicsVersionSeen(topics.version());
    }
    if (target != null) {
      for (Map.Entry<String, Assignment> entry : target.entrySet()) {
        if (!entry.getValue().equals(live.targetAssignment(entry.getKey()))
            || !live.targetAssignment().containsKey(entry.getKey())) {
          apply(records, ConsumerGroupRecords.target(groupId, entry.getKey(), entry.getValue()));
        }
      }
      apply(records, ConsumerGroupRecords.targetEpoch(groupId, groupEpoch));
    }
    ConsumerGroupMember current = live.member(updated.memberId());
    ConsumerGroupMember reconciled =
        MemberReconciler.reconcile(
            current,
            live.targetAssignmentEpoch(),
            live.targetAssignment(current.memberId()),
            owned,
            live::ownerOf);
    if (newMember || !reconciled.equals(current)) {
      apply(records, ConsumerGroupRecords.currentAssignment(groupId, reconciled));
    }
    scheduleRebalanceTimeout(live, current, reconciled);
    scheduleSession(live, reconciled.memberId(), config.consumerSessionTimeoutMs());

    ConsumerGroupHeartbeatResponseData response =
        new ConsumerGroupHeartbeatResponseData()
            .setMemberId(reconciled.memberId())
            .setMemberEpoch(reconciled.memberEpoch())
            .setHeartbeatIntervalMs(config.consumerHeartbeatIntervalMs());
    if (request.memberEpoch() == 0
        || owned != null
        || !reconciled.assigned().equals(member.assigned())) {
      response.setAssignment(
          new ConsumerGroupHeartbeatResponseData.Assignment()
              .setTopicPartitions(
                  reconciled
                      .assigned()
                      .toList(
                          (topicId, partitions) ->
                              new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                                  .setTopicId(topicId)
                                  .setPartitions(partitions))));
    }
    return CoordinatorResult.of(records, response);
  }

  private static Map<String, ConsumerGroupMember> membersAfter(
      ConsumerGroup group, ConsumerGroupMember updated, String replacedMemberId) {
    Map<String, ConsumerGroupMember> members = new java.util.LinkedHashMap<>();
    for (ConsumerGroupMember m : group.members()) {
      if (!m.memberId().equals(replacedMemberId)) {
        members.put(m.memberId(), m);
      }
    }
    members.put(updated.memberId(), updated);
    return members;
  }

  private static boolean sameMetadata(ConsumerGroupMember a, ConsumerGroupMember b) {
    return java.util.Objects.equals(a.instanceId(), b.instanceId())
        && java.util.Objects.equals(a.rackId(), b.rackId())
        && a.clientId().equals(b.clientId())
        && a.clientHost().equals(b.clientHost())
        && a.subscribedTopicNames().equals(b.subscribedTopicNames())
        && java.util.Objects.equals(a.subscribedTopicRegex(), b.subscribedTopicRegex())
        && java.util.Objects.equals(a.serverAssignor(), b.serverAssignor())
        && a.rebalanceTimeoutMs() == b.rebalanceTimeoutMs();
  }

  private static List<String> sorted(List<String> names) {
    List<String> copy = new ArrayList<>(new java.util.TreeSet<>(names));
    return copy;
  }

  /** Leaving: epoch -1 removes the member; a static member's -2 keeps its place and partitions. */
  private CoordinatorResult<ConsumerGroupHeartbeatResponseData> leave(
      ConsumerGroupHeartbeatRequestData request) {
    ConsumerGroup group = group(request.groupId());
    ConsumerGroupMember member = group == null ? null : group.member(request.memberId());
    if (member == null) {
      return refuse(
          Errors.UNKNOWN_MEMBER_ID,
          "Member " + request.memberId() + " is not a member of group " + request.groupId() + ".");
    }
    List<GroupRecord> records = new ArrayList<>();
    String groupId = group.groupId();
    if (request.memberEpoch() == ConsumerGroupMember.LEFT_STATIC_EPOCH && member.isStatic()) {
      apply(
          records,
          ConsumerGroupRecords.currentAssignment(
              groupId,
              member.withAssignment(
                  ConsumerGroupMember.LEFT_STATIC_EPOCH,
                  member.memberEpoch(),
                  member.state(),
                  member.assigned(),
                  member.pendingRevocation())));
      timer.cancel(rebalanceKey(groupId, member.memberId()));
    } else {
      removeMemberAndBump(group, member.memberId(), records);
    }
    return CoordinatorResult.of(
        records,
        new ConsumerGroupHeartbeatResponseData()
            .setMemberId(member.memberId())
            .setMemberEpoch(request.memberEpoch()));
  }

  private void removeMemberAndBump(ConsumerGroup group, String memberId, List<GroupRecord> out) {
    removeMember(group, memberId, out);
    ConsumerGroup live = group(group.groupId());
    long hash = subscriptionHash(live, live.members());
    apply(out, ConsumerGroupRecords.epoch(live.groupId(), live.groupEpoch() + 1, hash));
  }

  private void removeMember(ConsumerGroup group, String memberId, List<GroupRecord> out) {
    String groupId = group.groupId();
    apply(out, ConsumerGroupRecords.currentAssignmentTombstone(groupId, memberId));
    apply(out, ConsumerGroupRecords.targetTombstone(groupId, memberId));
    apply(out, ConsumerGroupRecords.memberTombstone(groupId, memberId));
    timer.cancel(sessionKey(groupId, memberId));
    timer.cancel(rebalanceKey(groupId, memberId));
  }

  /** Removes an empty group (DeleteGroups, or its last offsets expired). */
  public void delete(ConsumerGroup group, List<GroupRecord> out) {
    apply(out, ConsumerGroupRecords.targetEpochTombstone(group.groupId()));
    apply(out, ConsumerGroupRecords.groupTombstone(group.groupId()));
  }

  private void apply(List<GroupRecord> records, GroupRecord record) {
    records.add(record);
    replay(record);
  }

  // ---------------------------------------------------------------- ConsumerGroupDescribe

  /** ConsumerGroupDescribe of one group: GROUP_ID_NOT_FOUND when it is not a consumer group. */
  public ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId) {
    return ConsumerGroupDescriber.describe(
        groupId, group(groupId), groups.get(groupId), topics, this::assignorName);
  }

  // ---------------------------------------------------------------- assignment

  private ConsumerGroupPartitionAssignor assignorFor(Iterable<ConsumerGroupMember> members) {
    Map<String, Integer> votes = new TreeMap<>();
    for (ConsumerGroupMember member : members) {
      if (member.serverAssignor() != null) {
        votes.merge(member.serverAssignor(), 1, Integer::sum);
      }
    }
    String chosen = null;
    int best = 0;
    for (Map.Entry<String, Integer> vote : votes.entrySet()) {
      if (vote.getValue() > best) {
        chosen = vote.getKey();
        best = vote.getValue();
      }
    }
    ConsumerGroupPartitionAssignor assignor =
        chosen == null ? null : config.assignors().get(chosen);
    return assignor == null ? config.assignors().defaultAssignor() : assignor;
  }

  /** The name of the assignor the group uses now. */
  String assignorName(ConsumerGroup group) {
    return assignorFor(group.members()).name();
  }

  private Set<Uuid> topicIds(ConsumerGroup group, ConsumerGroupMember member) {
    Set<Uuid> ids = new HashSet<>();
    for (String name : group.subscribedTopics(member)) {
      TopicMetadata.Topic topic = topics.byName(name);
      if (topic != null) {
        ids.add(topic.id());
      }
    }
    return ids;
  }

  /**
   * A digest of the subscribed topics as they exist (name, id, partition count): when it changes (a
   * topic created, deleted or grown, or a regular expression matching another topic) the group
   * epoch moves and a new target assignment is computed.
   */
  private long subscriptionHash(ConsumerGroup group, Iterable<ConsumerGroupMember> members) {
    Set<String> names = new java.util.TreeSet<>();
    Set<String> regexes = new HashSet<>();
    for (ConsumerGroupMember member : members) {
      names.addAll(group.subscribedTopics(member));
      if (member.subscribedTopicRegex() != null) {
        regexes.add(member.subscribedTopicRegex());
      }
    }
    group.regexes().retainOnly(regexes);
    long hash = 1125899906842597L;
    for (String name : names) {
      TopicMetadata.Topic topic = topics.byName(name);
      if (topic == null) {
        continue;
      }
      hash = 31 * hash + name.hashCode();
      hash = 31 * hash + topic.id().hashCode();
      hash = 31 * hash + topic.partitions();
    }
    return hash;
  }

  // ---------------------------------------------------------------- timeouts

  static String sessionKey(String groupId, String memberId) {
    return "consumer-session/" + groupId + "/" + memberId;
  }

  static String rebalanceKey(String groupId, String memberId) {
    return "consumer-rebalance/" + groupId + "/" + memberId;
  }

  private void scheduleSession(ConsumerGroup group, String memberId, long timeoutMs) {
    // As for classic members: a heartbeat only moves the deadline; the timer is re-armed lazily.
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
    ConsumerGroup group = group(groupId);
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
    LOG.info("member {} of consumer group {} timed out; removing it", memberId, groupId);
    metrics.memberTimedOut();
    List<GroupRecord> records = new ArrayList<>();
    removeMemberAndBump(group, memberId, records);
    return CoordinatorResult.persist(records, () -> {});
  }

  /** A member asked to revoke partitions must do so within its rebalance timeout. */
  private void scheduleRebalanceTimeout(
      ConsumerGroup group, ConsumerGroupMember before, ConsumerGroupMember after) {
    String groupId = group.groupId();
    String memberId = after.memberId();
    if (after.state() != MemberState.UNREVOKED_PARTITIONS) {
      if (before.state() == MemberState.UNREVOKED_PARTITIONS) {
        timer.cancel(rebalanceKey(groupId, memberId));
      }
      return;
    }
    if (before.state() == MemberState.UNREVOKED_PARTITIONS
        && before.memberEpoch() == after.memberEpoch()
        && before.pendingRevocation().equals(after.pendingRevocation())) {
      return;
    }
    int epoch = after.memberEpoch();
    timer.schedule(
        rebalanceKey(groupId, memberId),
        Math.max(1, after.rebalanceTimeoutMs()),
        () -> rebalanceTimedOut(groupId, memberId, epoch));
  }

  private CoordinatorResult<Void> rebalanceTimedOut(String groupId, String memberId, int epoch) {
    ConsumerGroup group = group(groupId);
    ConsumerGroupMember member = group == null ? null : group.member(memberId);
    if (member == null
        || member.state() != MemberState.UNREVOKED_PARTITIONS
        || member.memberEpoch() != epoch) {
      return CoordinatorResult.none();
    }
    LOG.info(
        "member {} of consumer group {} did not revoke its partitions in time; removing it",
        memberId,
        groupId);
    metrics.memberTimedOut();
    List<GroupRecord> records = new ArrayList<>();
    removeMemberAndBump(group, memberId, records);
    return CoordinatorResult.persist(records, () -> {});
  }

  // ---------------------------------------------------------------- replay and loading

  /** Applies a consumer group record: at once when a handler makes it, and on start-up. */
  public void replay(GroupRecord record) {
    records.replay(record);
  }

  /** After replay: every member must heartbeat within the session timeout. */
  public void finishLoading() {
    for (ConsumerGroup group : groups.all(ConsumerGroup.class)) {
      for (ConsumerGroupMember member : new ArrayList<>(group.members())) {
        scheduleSession(group, member.memberId(), config.consumerSessionTimeoutMs());
        if (member.state() == MemberState.UNREVOKED_PARTITIONS) {
          int epoch = member.memberEpoch();
          String groupId = group.groupId();
          String memberId = member.memberId();
          timer.schedule(
              rebalanceKey(groupId, memberId),
              Math.max(1, member.rebalanceTimeoutMs()),
              () -> rebalanceTimedOut(groupId, memberId, epoch));
        }
      }
    }
  }

  /** The records a compacted log must hold for the consumer groups. */
  public void snapshot(List<GroupRecord> out) {
    records.snapshot(out);
  }

  private static CoordinatorResult<ConsumerGroupHeartbeatResponseData> refuse(Refusal refusal) {
    return refuse(refusal.error(), refusal.message());
  }

  private static CoordinatorResult<ConsumerGroupHeartbeatResponseData> refuse(
      Errors error, String message) {
    return CoordinatorResult.of(
        new ConsumerGroupHeartbeatResponseData()
            .setErrorCode(error.code())
            .setErrorMessage(message));
  }
}
