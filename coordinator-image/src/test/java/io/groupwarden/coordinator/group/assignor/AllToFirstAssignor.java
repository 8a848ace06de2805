package io.groupwarden.coordinator.group.assignor;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;

/** Everything to the member whose id sorts first: easy to recognise. */
public final class AllToFirstAssignor implements ConsumerGroupPartitionAssignor {
  @Override
  public String name() {
    return "all-to-first";
  }

  @Override
  public GroupAssignment assign(GroupSpec group, SubscribedTopicDescriber topics) {
    String first = new TreeSet<>(group.memberIds()).first();
    Map<String, MemberAssignment> result = new HashMap<>();
    for (String member : group.memberIds()) {
      Map<Uuid, Set<Integer>> partitions = new HashMap<>();
      if (member.equals(first)) {
        for (Uuid topicId : group.memberSubscription(member).subscribedTopicIds()) {
          Set<Integer> all = new TreeSet<>();
          for (int p = 0; p < topics.numPartitions(topicId); p++) {
            all.add(p);
          }
          partitions.put(topicId, all);
        }
      }
      result.put(member, () -> partitions);
    }
    return new GroupAssignment(result);
  }
}
