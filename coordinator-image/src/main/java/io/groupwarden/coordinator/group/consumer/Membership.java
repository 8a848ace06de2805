package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.GroupRecord;
import io.groupwarden.coordinator.group.TopicMetadata;
import io.groupwarden.coordinator.group.classic.ClassicGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a consumer group changes when a member joins, changes or goes, whatever protocol the member
 * speaks: the member's record is written, the group epoch moves when subscriptions or the
 * subscribed topics changed, a new target assignment is computed at the new epoch, and the member
 * is reconciled towards its target. Each record is applied as it is made.
 */
record Membership(ConsumerGroupParts parts, AssignorChoice assignors) {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  /**
   * A member after a change: {@code current} as written before reconciling (what it owned on
   * arrival), {@code reconciled} after; or {@code refusal} when nothing was written.
   */
  record Outcome(ConsumerGroupMember current, ConsumerGroupMember reconciled, Refusal refusal) {
    static Outcome refused(Refusal refusal) {
      return new Outcome(null, null, refusal);
    }
  }

  /**
   * Writes {@code updated} (the member as the request describes it; {@code member} is what the
   * group knew, or a joining member when {@code newMember}) and takes the group along. When {@code
   * replacedMemberId} is set, a static member comes back under a new id and takes over that
   * member's place. {@code owned} is what the member says it owns (null: not said). When {@code
   * ownedIsCurrent}, what it says is all it can own (a classic member reports it in JoinGroup,
   * after every assignment it was given): if it no longer owns what it must revoke, it moves on at
   * once.
   */
  Outcome update(
      ConsumerGroup group,
      ConsumerGroupMember member,
      ConsumerGroupMember updated,
      boolean newMember,
      String replacedMemberId,
      Assignment owned,
      boolean ownedIsCurrent,
      List<GroupRecord> records) {
    String groupId = group.groupId();
    boolean subscriptionChanged = newMember || updated.subscriptionDiffers(member);
    boolean metadataChanged =
        newMember || replacedMemberId != null || !sameMetadata(member, updated);

    // The group epoch moves when a subscription or the subscribed topics changed; then a new
    // target assignment is computed over the members as they will be.
    boolean checkTopics =
        subscriptionChanged || group.topicsVersionSeen() != parts.context().topics().version();
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
                parts.context().topics(),
                assignors.forMembers(members.values()));
      } catch (RuntimeException e) {
        LOG.error("assignor failed for group {}", groupId, e);
        return Outcome.refused(
            new Refusal(
                org.apache.kafka.common.protocol.Errors.UNKNOWN_SERVER_ERROR,
                "The assignor failed: " + e.getMessage()));
      }
    }

    // Decided: write it down, applying each record as it is made.
    if (parts.context().groups().get(groupId) instanceof ClassicGroup) {
      // An empty classic group (offsets only) becomes this consumer group; its offsets stay.
      records.add(GroupRecord.groupTombstone(groupId));
    }
    if (replacedMemberId != null) {
      Assignment inherited = group.targetAssignment(replacedMemberId);
      remove(group, replacedMemberId, records);
      parts.replay().apply(records, ConsumerGroupRecords.memberMetadata(groupId, updated));
      parts
          .replay()
          .apply(records, ConsumerGroupRecords.target(groupId, updated.memberId(), inherited));
      parts.replay().apply(records, ConsumerGroupRecords.currentAssignment(groupId, updated));
    } else if (metadataChanged) {
      parts.replay().apply(records, ConsumerGroupRecords.memberMetadata(groupId, updated));
    }
    ConsumerGroup live = live(groupId);
    if (bump) {
      writeEpoch(live, groupEpoch, hash, records);
    }
    if (checkTopics) {
      live.setTopicsVersionSeen(parts.context().topics().version());
    }
    if (target != null) {
      for (Map.Entry<String, Assignment> entry : target.entrySet()) {
        if (!entry.getValue().equals(live.targetAssignment(entry.getKey()))
            || !live.targetAssignment().containsKey(entry.getKey())) {
          parts
              .replay()
              .apply(
                  records, ConsumerGroupRecords.target(groupId, entry.getKey(), entry.getValue()));
        }
      }
      parts.replay().apply(records, ConsumerGroupRecords.targetEpoch(groupId, groupEpoch));
    }
    ConsumerGroupMember current = live.member(updated.memberId());
    ConsumerGroupMember reconciled = reconcile(live, current, owned);
    if (ownedIsCurrent && reconciled.reconciliation().state() == MemberState.UNREVOKED_PARTITIONS) {
      reconciled = reconcile(live, reconciled, owned);
    }
    if (newMember || !reconciled.equals(current)) {
      parts.replay().apply(records, ConsumerGroupRecords.currentAssignment(groupId, reconciled));
    }
    parts.timeouts().reconciled(live, current, reconciled);
    noteIfStable(live);
    return new Outcome(current, reconciled, null);
  }

  private static ConsumerGroupMember reconcile(
      ConsumerGroup group, ConsumerGroupMember member, Assignment owned) {
    return MemberReconciler.reconcile(
        member,
        group.targetAssignmentEpoch(),
        group.targetAssignment(member.memberId()),
        owned,
        group::ownerOf);
  }

  /** Removes a member and moves the group epoch (the target is computed at the next join). */
  void removeAndBump(ConsumerGroup group, List<String> memberIds, List<GroupRecord> out) {
    for (String memberId : memberIds) {
      remove(group, memberId, out);
    }
    ConsumerGroup live = live(group.groupId());
    writeEpoch(live, live.groupEpoch() + 1, subscriptionHash(live, live.members()), out);
  }

  /** Removes a member's records and stops its deadlines. */
  void remove(ConsumerGroup group, String memberId, List<GroupRecord> out) {
    String groupId = group.groupId();
    parts.replay().apply(out, ConsumerGroupRecords.currentAssignmentTombstone(groupId, memberId));
    parts.replay().apply(out, ConsumerGroupRecords.targetTombstone(groupId, memberId));
    parts.replay().apply(out, ConsumerGroupRecords.memberTombstone(groupId, memberId));
    parts.timeouts().cancelAll(groupId, memberId);
  }

  /** A new group epoch: one rebalance of the consumer protocol, for the metrics. */
  private void writeEpoch(ConsumerGroup group, int epoch, long hash, List<GroupRecord> out) {
    parts.replay().apply(out, ConsumerGroupRecords.epoch(group.groupId(), epoch, hash));
    parts.context().metrics().groupEpochBumped();
    if (group.reconcilingSinceMs() < 0) {
      group.setReconcilingSinceMs(parts.context().now());
    }
  }

  /** When a group that was rebalancing is Stable again, reports how long it took. */
  void noteIfStable(ConsumerGroup group) {
    if (group.reconcilingSinceMs() >= 0 && group.state() == ConsumerGroup.State.EMPTY) {
      group.setReconcilingSinceMs(-1);
    } else if (group.reconcilingSinceMs() >= 0 && group.state() == ConsumerGroup.State.STABLE) {
      parts
          .context()
          .metrics()
          .consumerGroupReconciled(Math.max(0, parts.context().now() - group.reconcilingSinceMs()));
      group.setReconcilingSinceMs(-1);
    }
  }

  private ConsumerGroup live(String groupId) {
    return parts.context().groups().get(groupId, ConsumerGroup.class);
  }

  private static Map<String, ConsumerGroupMember> membersAfter(
      ConsumerGroup group, ConsumerGroupMember updated, String replacedMemberId) {
    Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    for (ConsumerGroupMember m : group.members()) {
      if (!m.memberId().equals(replacedMemberId)) {
        members.put(m.memberId(), m);
      }
    }
    members.put(updated.memberId(), updated);
    return members;
  }

  private static boolean sameMetadata(ConsumerGroupMember a, ConsumerGroupMember b) {
    return Objects.equals(a.instanceId(), b.instanceId())
        && a.metadata().equals(b.metadata())
        && Objects.equals(a.classic(), b.classic());
  }

  private Set<Uuid> topicIds(ConsumerGroup group, ConsumerGroupMember member) {
    Set<Uuid> ids = new HashSet<>();
    for (String name : group.subscribedTopics(member)) {
      TopicMetadata.Topic topic = parts.context().topics().byName(name);
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
  long subscriptionHash(ConsumerGroup group, Iterable<ConsumerGroupMember> members) {
    Set<String> names = new TreeSet<>();
    Set<String> regexes = new HashSet<>();
    for (ConsumerGroupMember member : members) {
      names.addAll(group.subscribedTopics(member));
      if (member.metadata().subscribedTopicRegex() != null) {
        regexes.add(member.metadata().subscribedTopicRegex());
      }
    }
    group.regexes().retainOnly(regexes);
    long hash = 1125899906842597L;
    for (String name : names) {
      TopicMetadata.Topic topic = parts.context().topics().byName(name);
      if (topic == null) {
        continue;
      }
      hash = 31 * hash + name.hashCode();
      hash = 31 * hash + topic.id().hashCode();
      hash = 31 * hash + topic.partitions();
    }
    return hash;
  }

  /** Sorted and without duplicates, as the records keep subscriptions. */
  static List<String> sorted(List<String> names) {
    return new ArrayList<>(new TreeSet<>(names));
  }

  /** The assignor a group uses: the one most of its members name, else the broker's default. */
  static final class AssignorChoice {
    private final io.groupwarden.coordinator.group.assignor.Assignors assignors;

    AssignorChoice(io.groupwarden.coordinator.group.assignor.Assignors assignors) {
      this.assignors = assignors;
    }

    ConsumerGroupPartitionAssignor forMembers(Iterable<ConsumerGroupMember> members) {
      Map<String, Integer> votes = new TreeMap<>();
      for (ConsumerGroupMember member : members) {
        if (member.metadata().serverAssignor() != null) {
          votes.merge(member.metadata().serverAssignor(), 1, Integer::sum);
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
      ConsumerGroupPartitionAssignor assignor = chosen == null ? null : assignors.get(chosen);
      return assignor == null ? assignors.defaultAssignor() : assignor;
    }
  }
}
