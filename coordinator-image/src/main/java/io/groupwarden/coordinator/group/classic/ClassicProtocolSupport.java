package io.groupwarden.coordinator.group.classic;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many members of a classic group support each protocol name, kept as members come and go so
 * that a joining member's protocols and the group's choice need no pass over every member's list.
 */
final class ClassicProtocolSupport {
  private final Map<String, Integer> supporters = new HashMap<>();

  void add(ClassicGroupMember member) {
    count(member, 1);
  }

  void remove(ClassicGroupMember member) {
    count(member, -1);
  }

  void clear() {
    supporters.clear();
  }

  /** Whether one of {@code names} is supported by all {@code memberCount} members. */
  boolean anySupportedByAll(List<String> names, int memberCount) {
    for (String name : names) {
      if (supporters.getOrDefault(name, 0) == memberCount) {
        return true;
      }
    }
    return false;
  }

  /** The protocol supported by every one of {@code members} that most of them prefer. */
  String select(Collection<ClassicGroupMember> members) {
    Set<String> candidates = new HashSet<>();
    supporters.forEach(
        (name, count) -> {
          if (count == members.size()) {
            candidates.add(name);
          }
        });
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (ClassicGroupMember member : members) {
      votes.merge(member.vote(candidates), 1, Integer::sum);
    }
    String best = null;
    int bestVotes = -1;
    for (Map.Entry<String, Integer> entry : votes.entrySet()) {
      if (entry.getValue() > bestVotes) {
        best = entry.getKey();
        bestVotes = entry.getValue();
      }
    }
    return best;
  }

  private void count(ClassicGroupMember member, int delta) {
    for (ClassicGroupMember.Protocol protocol : member.protocols()) {
      supporters.merge(protocol.name(), delta, Integer::sum);
    }
  }
}
