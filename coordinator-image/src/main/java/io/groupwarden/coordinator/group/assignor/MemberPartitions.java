package io.groupwarden.coordinator.group.assignor;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;

/** A member's partitions by topic id, as assignors build and return them. */
record MemberPartitions(Map<Uuid, Set<Integer>> partitions) implements MemberAssignment {
  static MemberPartitions empty() {
    return new MemberPartitions(new HashMap<>());
  }

  void add(Uuid topicId, int partition) {
    partitions.computeIfAbsent(topicId, t -> new TreeSet<>()).add(partition);
  }
}
