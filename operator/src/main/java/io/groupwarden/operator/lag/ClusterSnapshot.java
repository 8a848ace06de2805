package io.groupwarden.operator.lag;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One collection of every group a cluster's resources watch, read without a topic filter, from
 * which each resource takes its own groups and topics ({@link #slice}) exactly as a collection of
 * its own would have read them.
 */
final class ClusterSnapshot {
  private final LagSnapshot all;
  private final Map<String, GroupSample> byId = new HashMap<>();
  private final Set<String> missing;

  ClusterSnapshot(LagSnapshot all) {
    this.all = all;
    all.groups().forEach(group -> byId.put(group.groupId(), group));
    this.missing = new HashSet<>(all.missingGroups());
  }

  /** The selector's groups (in its order, or by id for a pattern) and topics. */
  LagSnapshot slice(GroupSelector selector) {
    List<GroupSample> groups = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    if (selector.byPattern()) {
      all.groups().stream()
          .filter(group -> selector.pattern().matcher(group.groupId()).matches())
          .sorted(Comparator.comparing(GroupSample::groupId))
          .forEach(group -> groups.add(onlyTopics(group, selector)));
      missing.stream()
          .filter(id -> selector.pattern().matcher(id).matches())
          .sorted()
          .forEach(absent::add);
    } else {
      for (String id : selector.groups()) {
        GroupSample group = byId.get(id);
        if (group != null) {
          groups.add(onlyTopics(group, selector));
        } else {
          absent.add(id);
        }
      }
    }
    return new LagSnapshot(all.time(), groups, absent);
  }

  private static GroupSample onlyTopics(GroupSample group, GroupSelector selector) {
    if (selector.topics().isEmpty()) {
      return group;
    }
    List<MemberSample> members = new ArrayList<>(group.members().size());
    for (MemberSample member : group.members()) {
      List<PartitionRef> assignment =
          member.assignment().stream().filter(p -> selector.keepsTopic(p.topic())).toList();
      members.add(
          new MemberSample(
              member.memberId(),
              member.instanceId(),
              member.clientId(),
              member.host(),
              assignment));
    }
    return new GroupSample(
        group.groupId(),
        group.time(),
        group.state(),
        group.assignor(),
        group.epoch(),
        members,
        group.partitions().stream().filter(p -> selector.keepsTopic(p.topic())).toList());
  }
}
