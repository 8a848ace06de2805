package io.groupwarden.coordinator.group.assignor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;

/**
 * {@code range}: for each topic, the members subscribed to it, in one fixed order, take contiguous
 * ranges of its partitions (the first {@code partitions % members} one more). Members are ordered
 * by instance id when they have one, so a restarted static member lands where it was, then by
 * member id; with the same order for every topic, co-partitioned topics (same partition counts)
 * give a member the same partition numbers of each.
 */
public final class RangeAssignor implements ConsumerGroupPartitionAssignor {
  public static final String NAME = "range";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GroupAssignment assign(GroupSpec group, SubscribedTopicDescriber topics) {
    Map<String, MemberPartitions> result = new HashMap<>();
    Map<Uuid, List<String>> membersByTopic = new TreeMap<>();
    for (String memberId : group.memberIds()) {
      result.put(memberId, MemberPartitions.empty());
      for (Uuid topicId : group.memberSubscription(memberId).subscribedTopicIds()) {
        membersByTopic.computeIfAbsent(topicId, t -> new ArrayList<>()).add(memberId);
      }
    }
    membersByTopic.forEach(
        (topicId, members) -> {
          int partitions = topics.numPartitions(topicId);
          if (partitions <= 0) {
            return;
          }
          members.sort(
              (a, b) -> {
                String ka = group.memberSubscription(a).instanceId().orElse(null);
                String kb = group.memberSubscription(b).instanceId().orElse(null);
                if (ka != null && kb != null) {
                  int byInstance = ka.compareTo(kb);
                  if (byInstance != 0) {
                    return byInstance;
                  }
                } else if (ka != null || kb != null) {
                  return ka != null ? -1 : 1;
                }
                return a.compareTo(b);
              });
          int n = members.size();
          int base = partitions / n;
          int extra = partitions % n;
          int next = 0;
          for (int i = 0; i < n; i++) {
            int count = base + (i < extra ? 1 : 0);
            MemberPartitions target = result.get(members.get(i));
            for (int p = next; p < next + count; p++) {
              target.add(topicId, p);
            }
            next += count;
          }
        });
    return new GroupAssignment(Collections.unmodifiableMap(result));
  }
}
