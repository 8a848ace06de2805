package io.groupwarden.coordinator.group.classic;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/** A member of a classic group. Confined to the group's shard thread. */
public final class ClassicGroupMember {
  /** One protocol a member supports, in its order of preference, with its metadata. */
  public record Protocol(String name, byte[] metadata) {}

  private final String memberId;
  private final String groupInstanceId;
  private final String clientId;
  private final String clientHost;
  private int rebalanceTimeoutMs;
  private int sessionTimeoutMs;
  private final String protocolType;
  private List<Protocol> protocols;
  private byte[] assignment = new byte[0];
  private CompletableFuture<JoinGroupResponseData> awaitingJoin;
  private CompletableFuture<SyncGroupResponseData> awaitingSync;
  private boolean isNew;
  private long heartbeatDeadlineMs;
  private long heartbeatTimerDueMs;

  public ClassicGroupMember(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      int rebalanceTimeoutMs,
      int sessionTimeoutMs,
      String protocolType,
      List<Protocol> protocols) {
    this.memberId = memberId;
    this.groupInstanceId = groupInstanceId;
    this.clientId = clientId;
    this.clientHost = clientHost;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.protocolType = protocolType;
    this.protocols = List.copyOf(protocols);
  }

  /** The same member under a new id (a static member that restarted). */
  ClassicGroupMember withMemberId(String newMemberId) {
    ClassicGroupMember copy =
        new ClassicGroupMember(
            newMemberId,
            groupInstanceId,
            clientId,
            clientHost,
            rebalanceTimeoutMs,
            sessionTimeoutMs,
            protocolType,
            protocols);
    copy.assignment = assignment;
    return copy;
  }

  public String memberId() {
    return memberId;
  }

  public String groupInstanceId() {
    return groupInstanceId;
  }

  public boolean isStatic() {
    return groupInstanceId != null;
  }

  public String clientId() {
    return clientId;
  }

  public String clientHost() {
    return clientHost;
  }

  public int rebalanceTimeoutMs() {
    return rebalanceTimeoutMs;
  }

  public int sessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  public String protocolType() {
    return protocolType;
  }

  public List<Protocol> protocols() {
    return protocols;
  }

  public byte[] assignment() {
    return assignment;
  }

  void setAssignment(byte[] assignment) {
    this.assignment = assignment == null ? new byte[0] : assignment;
  }

  void update(List<Protocol> protocols, int rebalanceTimeoutMs, int sessionTimeoutMs) {
    this.protocols = List.copyOf(protocols);
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  /** The metadata the member sent for {@code protocol}, or null. */
  public byte[] metadata(String protocol) {
    for (Protocol p : protocols) {
      if (p.name().equals(protocol)) {
        return p.metadata();
      }
    }
    return null;
  }

  /** True when {@code other} lists the same protocols with the same metadata in the same order. */
  boolean sameProtocols(List<Protocol> other) {
    if (other.size() != protocols.size()) {
      return false;
    }
    for (int i = 0; i < other.size(); i++) {
      Protocol a = protocols.get(i);
      Protocol b = other.get(i);
      if (!a.name().equals(b.name()) || !java.util.Arrays.equals(a.metadata(), b.metadata())) {
        return false;
      }
    }
    return true;
  }

  List<String> protocolNames() {
    List<String> names = new ArrayList<>();
    protocols.forEach(p -> names.add(p.name()));
    return names;
  }

  /** The member's most preferred protocol among {@code candidates}. */
  String vote(Set<String> candidates) {
    for (Protocol p : protocols) {
      if (candidates.contains(p.name())) {
        return p.name();
      }
    }
    throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
  }

  boolean isAwaitingJoin() {
    return awaitingJoin != null;
  }

  CompletableFuture<JoinGroupResponseData> awaitingJoin() {
    return awaitingJoin;
  }

  void setAwaitingJoin(CompletableFuture<JoinGroupResponseData> future) {
    this.awaitingJoin = future;
  }

  boolean isAwaitingSync() {
    return awaitingSync != null;
  }

  CompletableFuture<SyncGroupResponseData> awaitingSync() {
    return awaitingSync;
  }

  void setAwaitingSync(CompletableFuture<SyncGroupResponseData> future) {
    this.awaitingSync = future;
  }

  boolean isNew() {
    return isNew;
  }

  void setNew(boolean isNew) {
    this.isNew = isNew;
  }

  /**
   * A member parked in a rebalance counts as alive; a new member does not, so a client that gave up
   * on its first JoinGroup does not linger.
   */
  boolean hasSatisfiedHeartbeat() {
    return !isNew && (isAwaitingJoin() || isAwaitingSync());
  }

  long heartbeatDeadlineMs() {
    return heartbeatDeadlineMs;
  }

  void setHeartbeatDeadlineMs(long deadline) {
    this.heartbeatDeadlineMs = deadline;
  }

  long heartbeatTimerDueMs() {
    return heartbeatTimerDueMs;
  }

  void setHeartbeatTimerDueMs(long due) {
    this.heartbeatTimerDueMs = due;
  }
}
