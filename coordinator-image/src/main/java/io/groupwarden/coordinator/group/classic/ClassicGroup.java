package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.GroupView;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A classic consumer group: its state, generation, chosen protocol, leader and members. Confined to
 * the group's shard thread; the rules of the protocol live in {@link ClassicGroupManager}.
 */
public final class ClassicGroup implements Group {
  public static final String CONSUMER_PROTOCOL_TYPE = "consumer";

  private final String groupId;
  private ClassicGroupState state = ClassicGroupState.EMPTY;
  private ClassicGroupState previousState = ClassicGroupState.EMPTY;
  private long stateTimestampMs;
  private int generationId;
  private String protocolType;
  private String protocolName;
  private String leaderId;
  private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
  private final Map<String, String> staticMembers = new HashMap<>();
  private final Set<String> pendingJoinMembers = new HashSet<>();
  private final Set<String> pendingSyncMembers = new HashSet<>();
  private final ClassicProtocolSupport protocolSupport = new ClassicProtocolSupport();
  private int awaitingJoinCount;
  private boolean newMemberAdded;
  private long rebalanceStartedMs = -1;

  public ClassicGroup(String groupId, long nowMs) {
    this.groupId = groupId;
    this.stateTimestampMs = nowMs;
  }

  @Override
  public String groupId() {
    return groupId;
  }

  @Override
  public GroupType type() {
    return GroupType.CLASSIC;
  }

  @Override
  public String stateName() {
    return state.wireName();
  }

  @Override
  public boolean isDead() {
    return state == ClassicGroupState.DEAD;
  }

  @Override
  public boolean isEmpty() {
    return state == ClassicGroupState.EMPTY;
  }

  @Override
  public int memberCount() {
    return members.size();
  }

  @Override
  public Errors validateOffsetCommit(
      String memberId, String groupInstanceId, int generationId, short apiVersion) {
    if (is(ClassicGroupState.DEAD)) {
      return Errors.COORDINATOR_NOT_AVAILABLE;
    }
    if (generationId < 0 && is(ClassicGroupState.EMPTY)) {
      return Errors.NONE;
    }
    if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
      Errors invalid = validateMember(memberId, groupInstanceId);
      if (invalid != Errors.NONE) {
        return invalid;
      }
      if (generationId != this.generationId) {
        return Errors.ILLEGAL_GENERATION;
      }
    } else if (!is(ClassicGroupState.EMPTY)) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    return is(ClassicGroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
  }

  @Override
  public Errors validateOffsetFetch(String memberId, int memberEpoch) {
    return isDead() ? Errors.GROUP_ID_NOT_FOUND : Errors.NONE;
  }

  @Override
  public Errors validateOffsetDelete() {
    if (isDead()) {
      return Errors.GROUP_ID_NOT_FOUND;
    }
    boolean active = !is(ClassicGroupState.EMPTY);
    return active && !CONSUMER_PROTOCOL_TYPE.equals(protocolType)
        ? Errors.NON_EMPTY_GROUP
        : Errors.NONE;
  }

  @Override
  public Errors validateDeleteGroup() {
    if (isDead()) {
      return Errors.GROUP_ID_NOT_FOUND;
    }
    return is(ClassicGroupState.EMPTY) ? Errors.NONE : Errors.NON_EMPTY_GROUP;
  }

  @Override
  public boolean isSubscribedToTopic(String topic) {
    return !is(ClassicGroupState.EMPTY) && ClassicGroupSnapshot.subscribes(this, topic);
  }

  @Override
  public GroupView view(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return ClassicGroupSnapshot.view(this, offsets);
  }

  @Override
  public long offsetRetentionStartMs(OffsetAndMetadata offset) {
    if (protocolType == null) {
      // A "simple" group (commits without membership): each offset ages from its commit.
      return offset.commitTimestamp();
    }
    return is(ClassicGroupState.EMPTY) ? stateTimestampMs : -1;
  }

  public ClassicGroupState state() {
    return state;
  }

  public ClassicGroupState previousState() {
    return previousState;
  }

  public boolean is(ClassicGroupState s) {
    return state == s;
  }

  public long stateTimestampMs() {
    return stateTimestampMs;
  }

  public int generationId() {
    return generationId;
  }

  public String protocolType() {
    return protocolType;
  }

  public String protocolName() {
    return protocolName;
  }

  public String leaderId() {
    return leaderId;
  }

  public boolean isLeader(String memberId) {
    return memberId != null && memberId.equals(leaderId);
  }

  public Collection<ClassicGroupMember> members() {
    return members.values();
  }

  public ClassicGroupMember member(String memberId) {
    return members.get(memberId);
  }

  public boolean hasMember(String memberId) {
    return members.containsKey(memberId);
  }

  public int size() {
    return members.size();
  }

  public String staticMemberId(String groupInstanceId) {
    return staticMembers.get(groupInstanceId);
  }

  long rebalanceStartedMs() {
    return rebalanceStartedMs;
  }

  /** Moves to {@code next}, refusing transitions the protocol does not have. */
  public void transitionTo(ClassicGroupState next, long nowMs) {
    if (!next.canBeEnteredFrom(state)) {
      throw new IllegalStateException(
          "group " + groupId + " cannot go from " + state + " to " + next);
    }
    if (next == ClassicGroupState.PREPARING_REBALANCE
        && state != ClassicGroupState.PREPARING_REBALANCE) {
      rebalanceStartedMs = nowMs;
    }
    previousState = state;
    state = next;
    stateTimestampMs = nowMs;
  }

  /** Restores persisted state on load, bypassing the transition rules. */
  void restore(
      int generationId,
      String protocolType,
      String protocolName,
      String leaderId,
      long stateTimestampMs,
      List<ClassicGroupMember> restored) {
    this.generationId = generationId;
    this.protocolType = protocolType;
    this.protocolName = protocolName;
    this.stateTimestampMs = stateTimestampMs;
    members.clear();
    staticMembers.clear();
    protocolSupport.clear();
    for (ClassicGroupMember member : restored) {
      members.put(member.memberId(), member);
      if (member.isStatic()) {
        staticMembers.put(member.groupInstanceId(), member.memberId());
      }
      protocolSupport.add(member);
    }
    this.leaderId = members.containsKey(leaderId) ? leaderId : firstMemberOrNull();
    this.previousState = state;
    this.state = members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
  }

  void setProtocolName(String protocolName) {
    this.protocolName = protocolName;
  }

  void setProtocolType(String protocolType) {
    this.protocolType = protocolType;
  }

  boolean newMemberAdded() {
    return newMemberAdded;
  }

  void setNewMemberAdded(boolean value) {
    newMemberAdded = value;
  }

  void add(ClassicGroupMember member, CompletableFuture<JoinGroupResponseData> future) {
    if (member.isStatic()) {
      staticMembers.put(member.groupInstanceId(), member.memberId());
    }
    if (members.isEmpty()) {
      protocolType = member.protocolType();
    }
    if (leaderId == null) {
      leaderId = member.memberId();
    }
    members.put(member.memberId(), member);
    protocolSupport.add(member);
    member.setAwaitingJoin(future);
    if (future != null) {
      awaitingJoinCount++;
    }
    pendingJoinMembers.remove(member.memberId());
  }

  void remove(String memberId) {
    ClassicGroupMember removed = members.remove(memberId);
    if (removed != null) {
      protocolSupport.remove(removed);
      if (removed.isAwaitingJoin()) {
        awaitingJoinCount--;
      }
      if (removed.isStatic()) {
        staticMembers.remove(removed.groupInstanceId());
      }
    }
    if (isLeader(memberId)) {
      leaderId = firstMemberOrNull();
    }
    pendingJoinMembers.remove(memberId);
    pendingSyncMembers.remove(memberId);
  }

  private String firstMemberOrNull() {
    return members.isEmpty() ? null : members.keySet().iterator().next();
  }

  /** Gives a restarted static member a new member id; the old id's parked requests are fenced. */
  ClassicGroupMember replaceStaticMember(
      String groupInstanceId, String oldMemberId, String newMemberId) {
    ClassicGroupMember old = members.remove(oldMemberId);
    if (old == null) {
      throw new IllegalStateException("no member " + oldMemberId + " to replace");
    }
    completeJoin(
        old,
        new JoinGroupResponseData()
            .setMemberId(oldMemberId)
            .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
    completeSync(old, new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
    ClassicGroupMember replacement = old.withMemberId(newMemberId);
    members.put(newMemberId, replacement);
    if (isLeader(oldMemberId)) {
      leaderId = newMemberId;
    }
    staticMembers.put(groupInstanceId, newMemberId);
    pendingSyncMembers.remove(oldMemberId);
    return replacement;
  }

  void updateMember(
      ClassicGroupMember member,
      List<ClassicGroupMember.Protocol> protocols,
      int rebalanceTimeoutMs,
      int sessionTimeoutMs,
      CompletableFuture<JoinGroupResponseData> future) {
    protocolSupport.remove(member);
    member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
    protocolSupport.add(member);
    if (future != null && !member.isAwaitingJoin()) {
      awaitingJoinCount++;
    } else if (future == null && member.isAwaitingJoin()) {
      awaitingJoinCount--;
    }
    member.setAwaitingJoin(future);
  }

  boolean completeJoin(ClassicGroupMember member, JoinGroupResponseData response) {
    if (!member.isAwaitingJoin()) {
      return false;
    }
    CompletableFuture<JoinGroupResponseData> future = member.awaitingJoin();
    member.setAwaitingJoin(null);
    awaitingJoinCount--;
    future.complete(response);
    return true;
  }

  boolean completeSync(ClassicGroupMember member, SyncGroupResponseData response) {
    if (!member.isAwaitingSync()) {
      return false;
    }
    CompletableFuture<SyncGroupResponseData> future = member.awaitingSync();
    member.setAwaitingSync(null);
    future.complete(response);
    return true;
  }

  /**
   * Member ids handed out by JoinGroup (KIP-394) that have not joined with them yet; changed by the
   * join and session-timeout rules.
   */
  Set<String> pendingJoins() {
    return pendingJoinMembers;
  }

  /** Members of the current generation that have not asked for their assignment yet. */
  Set<String> pendingSyncs() {
    return pendingSyncMembers;
  }

  int awaitingJoinCount() {
    return awaitingJoinCount;
  }

  boolean allMembersJoined() {
    return members.size() == awaitingJoinCount && pendingJoinMembers.isEmpty();
  }

  /** If the leader did not rejoin, makes a member that did the leader; false when none did. */
  boolean electJoinedLeader() {
    if (leaderId == null) {
      return false;
    }
    ClassicGroupMember leader = members.get(leaderId);
    if (leader != null && leader.isAwaitingJoin()) {
      return true;
    }
    for (ClassicGroupMember member : members.values()) {
      if (member.isAwaitingJoin()) {
        leaderId = member.memberId();
        return true;
      }
    }
    return false;
  }

  int rebalanceTimeoutMs() {
    int max = 0;
    for (ClassicGroupMember member : members.values()) {
      max = Math.max(max, member.rebalanceTimeoutMs());
    }
    return max;
  }

  /**
   * Checks that {@code memberId} (and {@code groupInstanceId} if given) is the current member:
   * NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID.
   */
  Errors validateMember(String memberId, String groupInstanceId) {
    if (groupInstanceId != null) {
      String current = staticMembers.get(groupInstanceId);
      if (current == null) {
        return Errors.UNKNOWN_MEMBER_ID;
      }
      if (!current.equals(memberId)) {
        return Errors.FENCED_INSTANCE_ID;
      }
    }
    return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
  }

  /** Whether a member with this protocol type and these protocols may join. */
  boolean supportsProtocols(String memberProtocolType, List<String> memberProtocols) {
    if (is(ClassicGroupState.EMPTY)) {
      return memberProtocolType != null
          && !memberProtocolType.isEmpty()
          && !memberProtocols.isEmpty();
    }
    if (protocolType == null || !protocolType.equals(memberProtocolType)) {
      return false;
    }
    return protocolSupport.anySupportedByAll(memberProtocols, members.size());
  }

  /** The protocol supported by every member that most members prefer. */
  String selectProtocol() {
    return protocolSupport.select(members.values());
  }

  boolean canRebalance() {
    return ClassicGroupState.PREPARING_REBALANCE.canBeEnteredFrom(state);
  }

  /** Starts the next generation: CompletingRebalance with a protocol, or Empty. */
  void initNextGeneration(long nowMs) {
    generationId++;
    if (!members.isEmpty()) {
      protocolName = selectProtocol();
      transitionTo(ClassicGroupState.COMPLETING_REBALANCE, nowMs);
    } else {
      protocolName = null;
      transitionTo(ClassicGroupState.EMPTY, nowMs);
    }
    pendingSyncMembers.clear();
  }

  Map<String, byte[]> assignments() {
    Map<String, byte[]> result = new HashMap<>();
    members.values().forEach(m -> result.put(m.memberId(), m.assignment()));
    return result;
  }
}
