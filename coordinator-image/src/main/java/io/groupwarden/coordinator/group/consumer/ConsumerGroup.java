package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.GroupView;
import io.groupwarden.coordinator.group.TopicMetadata;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * A consumer group of the KIP-848 protocol: its group epoch, its target assignment and the epoch it
 * was computed at, and its members. Changed only by applying records ({@link
 * ConsumerGroupManager#replay}), so replaying them rebuilds it. Confined to its shard's thread.
 */
public final class ConsumerGroup implements Group {
  public static final String PROTOCOL_TYPE = "consumer";

  /** The states of a consumer group, as ListGroups and ConsumerGroupDescribe name them. */
  public enum State {
    EMPTY("Empty"),
    ASSIGNING("Assigning"),
    RECONCILING("Reconciling"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  private final String groupId;
  private final TopicMetadata topics;
  private int groupEpoch;
  private long metadataHash;
  private int targetAssignmentEpoch;
  private boolean dead;
  private final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
  private final Map<String, String> staticMembers = new HashMap<>();
  private final Map<String, Assignment> targetAssignment = new HashMap<>();
  private final PartitionOwners owners = new PartitionOwners();
  private final Map<String, Long> sessionDeadlines = new HashMap<>();
  private final Map<String, Long> sessionTimersDue = new HashMap<>();
  private final RegexSubscriptions regexes = new RegexSubscriptions();
  private final Set<String> rejoinDeadlines = new java.util.HashSet<>();
  private long topicsVersionSeen = -1;
  private long reconcilingSinceMs = -1;

  ConsumerGroup(String groupId, TopicMetadata topics) {
    this.groupId = groupId;
    this.topics = topics;
  }

  @Override
  public String groupId() {
    return groupId;
  }

  @Override
  public GroupType type() {
    return GroupType.CONSUMER;
  }

  @Override
  public String protocolType() {
    return PROTOCOL_TYPE;
  }

  public State state() {
    if (dead) {
      return State.DEAD;
    }
    if (members.isEmpty()) {
      return State.EMPTY;
    }
    if (groupEpoch > targetAssignmentEpoch) {
      return State.ASSIGNING;
    }
    for (ConsumerGroupMember member : members.values()) {
      if (!member.hasLeftStatically()
          && (member.reconciliation().memberEpoch() != targetAssignmentEpoch
              || member.reconciliation().state() != MemberState.STABLE)) {
        return State.RECONCILING;
      }
    }
    return State.STABLE;
  }

  @Override
  public String stateName() {
    return state().wireName();
  }

  @Override
  public boolean isDead() {
    return dead;
  }

  void markDead() {
    dead = true;
  }

  @Override
  public boolean isEmpty() {
    return members.isEmpty();
  }

  @Override
  public int memberCount() {
    return members.size();
  }

  public int groupEpoch() {
    return groupEpoch;
  }

  public int targetAssignmentEpoch() {
    return targetAssignmentEpoch;
  }

  long metadataHash() {
    return metadataHash;
  }

  public Collection<ConsumerGroupMember> members() {
    return members.values();
  }

  public ConsumerGroupMember member(String memberId) {
    return members.get(memberId);
  }

  String staticMemberId(String instanceId) {
    return staticMembers.get(instanceId);
  }

  public Assignment targetAssignment(String memberId) {
    return targetAssignment.getOrDefault(memberId, Assignment.EMPTY);
  }

  Map<String, Assignment> targetAssignment() {
    return targetAssignment;
  }

  /** The member that owns a partition now (assigned or still revoking it), or null. */
  String ownerOf(Uuid topicId, int partition) {
    return owners.ownerOf(topicId, partition);
  }

  /** The static member with this instance id, or null. */
  ConsumerGroupMember staticMember(String instanceId) {
    String memberId = instanceId == null ? null : staticMembers.get(instanceId);
    return memberId == null ? null : members.get(memberId);
  }

  // ---------------------------------------------------------------- classic members

  /** How many members speak the classic protocol. */
  int classicMemberCount() {
    int count = 0;
    for (ConsumerGroupMember member : members.values()) {
      if (member.usesClassicProtocol()) {
        count++;
      }
    }
    return count;
  }

  /**
   * Whether a classic member offering these protocols may join: they must be of the embedded
   * consumer protocol, and one of them must be supported by every classic member already in, so
   * that the group can turn back into a classic group with one protocol.
   */
  boolean supportsClassicProtocols(String protocolType, Collection<String> protocolNames) {
    if (!PROTOCOL_TYPE.equals(protocolType) || protocolNames.isEmpty()) {
      return false;
    }
    for (String name : protocolNames) {
      boolean everyone = true;
      for (ConsumerGroupMember member : members.values()) {
        if (member.usesClassicProtocol()
            && member.classic().protocols().stream().noneMatch(p -> p.name().equals(name))) {
          everyone = false;
          break;
        }
      }
      if (everyone) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code memberId} speaks the consumer protocol and every other member is classic. */
  boolean onlyConsumerProtocolMemberIs(String memberId) {
    ConsumerGroupMember member = members.get(memberId);
    return member != null
        && !member.usesClassicProtocol()
        && classicMemberCount() == members.size() - 1;
  }

  /**
   * True when a member waiting for partitions still owned by others waits for at least one that is
   * not free yet; when all are free a classic member is asked to join again to get them.
   */
  boolean waitingOnUnreleasedPartition(ConsumerGroupMember member) {
    if (member.reconciliation().state() != MemberState.UNRELEASED_PARTITIONS) {
      return false;
    }
    Assignment missing =
        targetAssignment(member.memberId()).minus(member.reconciliation().assigned());
    for (Map.Entry<Uuid, Set<Integer>> entry : missing.partitions().entrySet()) {
      for (int partition : entry.getValue()) {
        if (ownerOf(entry.getKey(), partition) != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Marks that a classic member was asked to join again; false when it already was (its deadline
   * runs from the first time it was asked).
   */
  boolean markRejoinRequested(String memberId) {
    return rejoinDeadlines.add(memberId);
  }

  void clearRejoinRequested(String memberId) {
    rejoinDeadlines.remove(memberId);
  }

  // ---------------------------------------------------------------- rebalance metrics

  /** When the group last left Stable (its epoch moved), or -1 while it is Stable. */
  long reconcilingSinceMs() {
    return reconcilingSinceMs;
  }

  void setReconcilingSinceMs(long since) {
    reconcilingSinceMs = since;
  }

  RegexSubscriptions regexes() {
    return regexes;
  }

  long topicsVersionSeen() {
    return topicsVersionSeen;
  }

  void setTopicsVersionSeen(long version) {
    topicsVersionSeen = version;
  }

  // ---------------------------------------------------------------- changes (from records)

  void setEpoch(int epoch, long hash) {
    groupEpoch = epoch;
    metadataHash = hash;
  }

  void setTargetAssignmentEpoch(int epoch) {
    targetAssignmentEpoch = epoch;
  }

  void setTarget(String memberId, Assignment assignment) {
    targetAssignment.put(memberId, assignment);
  }

  void removeTarget(String memberId) {
    targetAssignment.remove(memberId);
  }

  void putMember(ConsumerGroupMember member) {
    ConsumerGroupMember previous = members.put(member.memberId(), member);
    if (previous != null) {
      owners.release(previous);
      if (previous.isStatic() && !previous.instanceId().equals(member.instanceId())) {
        staticMembers.remove(previous.instanceId());
      }
    }
    if (member.isStatic()) {
      staticMembers.put(member.instanceId(), member.memberId());
    }
    owners.own(member);
  }

  void removeMember(String memberId) {
    ConsumerGroupMember removed = members.remove(memberId);
    if (removed != null) {
      owners.release(removed);
      if (removed.isStatic() && memberId.equals(staticMembers.get(removed.instanceId()))) {
        staticMembers.remove(removed.instanceId());
      }
    }
    sessionDeadlines.remove(memberId);
    sessionTimersDue.remove(memberId);
    rejoinDeadlines.remove(memberId);
  }

  // ---------------------------------------------------------------- sessions

  Long sessionDeadline(String memberId) {
    return sessionDeadlines.get(memberId);
  }

  void setSessionDeadline(String memberId, long deadline) {
    sessionDeadlines.put(memberId, deadline);
  }

  long sessionTimerDue(String memberId) {
    return sessionTimersDue.getOrDefault(memberId, 0L);
  }

  void setSessionTimerDue(String memberId, long due) {
    if (due == 0) {
      sessionTimersDue.remove(memberId);
    } else {
      sessionTimersDue.put(memberId, due);
    }
  }

  // ---------------------------------------------------------------- subscriptions

  /** The topics a member subscribes to: its names and what its regular expression matches. */
  Set<String> subscribedTopics(ConsumerGroupMember member) {
    if (member.metadata().subscribedTopicRegex() == null) {
      return Set.copyOf(member.metadata().subscribedTopicNames());
    }
    Set<String> topicNames = new java.util.TreeSet<>(member.metadata().subscribedTopicNames());
    topicNames.addAll(regexes.matching(member.metadata().subscribedTopicRegex(), topics));
    return topicNames;
  }

  /** Every topic some member subscribes to. */
  Set<String> subscribedTopics() {
    Set<String> all = new java.util.TreeSet<>();
    for (ConsumerGroupMember member : members.values()) {
      all.addAll(subscribedTopics(member));
    }
    return all;
  }

  // ---------------------------------------------------------------- Group

  @Override
  public Errors validateOffsetCommit(
      String memberId, String groupInstanceId, int memberEpoch, short apiVersion) {
    if (dead) {
      return Errors.COORDINATOR_NOT_AVAILABLE;
    }
    if (memberEpoch < 0 && (memberId == null || memberId.isEmpty())) {
      // An admin or a consumer without group management may commit only while nobody consumes.
      if (groupInstanceId != null) {
        return Errors.FENCED_INSTANCE_ID;
      }
      return members.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }
    ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
    if (member == null) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    if (apiVersion < 9 && !member.usesClassicProtocol()) {
      return Errors.UNSUPPORTED_VERSION;
    }
    return epochError(member, memberEpoch);
  }

  /**
   * A classic member names its member epoch as its generation: a mismatch is ILLEGAL_GENERATION.
   */
  private static Errors epochError(ConsumerGroupMember member, int epoch) {
    if (epoch == member.reconciliation().memberEpoch()) {
      return Errors.NONE;
    }
    return member.usesClassicProtocol() ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
  }

  @Override
  public Errors validateOffsetFetch(String memberId, int memberEpoch) {
    if (dead) {
      return Errors.GROUP_ID_NOT_FOUND;
    }
    if (memberEpoch < 0 && (memberId == null || memberId.isEmpty())) {
      return Errors.NONE;
    }
    ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
    if (member == null) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    return epochError(member, memberEpoch);
  }

  @Override
  public Errors validateOffsetDelete() {
    return dead ? Errors.GROUP_ID_NOT_FOUND : Errors.NONE;
  }

  @Override
  public Errors validateDeleteGroup() {
    if (dead) {
      return Errors.GROUP_ID_NOT_FOUND;
    }
    return members.isEmpty() ? Errors.NONE : Errors.NON_EMPTY_GROUP;
  }

  @Override
  public boolean isSubscribedToTopic(String topic) {
    for (ConsumerGroupMember member : members.values()) {
      if (subscribedTopics(member).contains(topic)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long offsetRetentionStartMs(OffsetAndMetadata offset) {
    return members.isEmpty() ? offset.commitTimestamp() : -1;
  }

  @Override
  public GroupView view(Map<TopicPartition, OffsetAndMetadata> offsets) {
    List<GroupView.Member> views = new ArrayList<>();
    for (ConsumerGroupMember member : members.values()) {
      views.add(
          new GroupView.Member(
              member.memberId(),
              member.instanceId(),
              member.metadata().clientId(),
              member.metadata().clientHost(),
              List.copyOf(member.reconciliation().assigned().byName(topics))));
    }
    return new GroupView(
        groupId,
        GroupType.CONSUMER,
        stateName(),
        groupEpoch,
        PROTOCOL_TYPE,
        null,
        null,
        List.copyOf(views),
        Map.copyOf(offsets));
  }
}
