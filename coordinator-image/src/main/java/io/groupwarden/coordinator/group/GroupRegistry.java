package io.groupwarden.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups of one shard, of every type. The managers share it: a group id names one group, and a
 * classic group converted to a consumer group (or back) replaces its entry.
 */
public final class GroupRegistry {
  private final Map<String, Group> groups = new HashMap<>();

  public Group get(String groupId) {
    return groups.get(groupId);
  }

  /** The group if it exists and has this type, else null. */
  public <G extends Group> G get(String groupId, Class<G> type) {
    Group group = groups.get(groupId);
    return type.isInstance(group) ? type.cast(group) : null;
  }

  public void put(Group group) {
    groups.put(group.groupId(), group);
  }

  public Group remove(String groupId) {
    return groups.remove(groupId);
  }

  public Collection<Group> all() {
    return groups.values();
  }

  /** A copy, for loops that remove groups. */
  public List<Group> snapshot() {
    return new ArrayList<>(groups.values());
  }

  /** The groups of one type. */
  public <G extends Group> List<G> all(Class<G> type) {
    List<G> result = new ArrayList<>();
    for (Group group : groups.values()) {
      if (type.isInstance(group)) {
        result.add(type.cast(group));
      }
    }
    return result;
  }
}
