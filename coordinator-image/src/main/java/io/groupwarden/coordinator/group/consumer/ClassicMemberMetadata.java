package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.classic.ClassicGroupMember.Protocol;
import java.util.Arrays;
import java.util.List;

/**
 * What a member speaking the classic protocol inside a consumer group brings besides its
 * subscription: its session timeout and the protocols it offered in JoinGroup (in its order of
 * preference, with their metadata), kept so the group can turn back into a classic group.
 */
public record ClassicMemberMetadata(int sessionTimeoutMs, List<Protocol> protocols) {
  public ClassicMemberMetadata {
    protocols = List.copyOf(protocols);
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("a classic member names at least one protocol");
    }
  }

  /** The protocol the member is told in JoinGroup and must name in SyncGroup: its first. */
  public String protocolName() {
    return protocols.get(0).name();
  }

  /** The metadata (the embedded consumer protocol's subscription) of its first protocol. */
  byte[] firstMetadata() {
    return protocols.get(0).metadata();
  }

  // Protocol metadata are byte arrays: compare their contents, not their identity.
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ClassicMemberMetadata that)
        || sessionTimeoutMs != that.sessionTimeoutMs
        || protocols.size() != that.protocols.size()) {
      return false;
    }
    for (int i = 0; i < protocols.size(); i++) {
      Protocol a = protocols.get(i);
      Protocol b = that.protocols.get(i);
      if (!a.name().equals(b.name()) || !Arrays.equals(a.metadata(), b.metadata())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = sessionTimeoutMs;
    for (Protocol p : protocols) {
      hash = 31 * hash + p.name().hashCode();
      hash = 31 * hash + Arrays.hashCode(p.metadata());
    }
    return hash;
  }
}
