package io.groupwarden.coordinator.group.assignor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;

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

  private record Key(String memberId, String instanceId) {}

  /**
   * Members with an instance id first, by it (instance ids are unique in a group), then the others
   * by member id.
   */
  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::instanceId, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(Key::memberId);

  @Override
  public GroupAssignment assign(GroupSpec group, SubscribedTopicDescriber topics) {
    List<Key> order = new ArrayList<>();
    for (String memberId : group.memberIds()) {
      order.add(new Key(memberId, group.memberSubscription(memberId).instanceId().orElse(null)));
    }
    order.sort(ORDER);
    // Each member's assignment is a read-only view of the map filled below.
    Map<String, MemberAssignment> assignment = new HashMap<>(order.size() * 2);
    // Per topic, the partition maps of its members in order: filled without a lookup by member id.
    Map<Uuid, List<Map<Uuid, Set<Integer>>>> membersByTopic = new TreeMap<>();
    if (group.subscriptionType() == SubscriptionType.HOMOGENEOUS && !order.isEmpty()) {
      // Everyone subscribes to the same topics: one member list serves every topic.
      List<Map<Uuid, Set<Integer>>> all = new ArrayList<>(order.size());
      for (Key key : order) {
        Map<Uuid, Set<Integer>> partitions = new HashMap<>();
        all.add(partitions);
        assignment.put(
            key.memberId(), new MemberPartitions(Collections.unmodifiableMap(partitions)));
      }
      for (Uuid topicId : group.memberSubscription(order.get(0).memberId()).subscribedTopicIds()) {
        membersByTopic.put(topicId, all);
      }
    } else {
      for (Key key : order) {
        Map<Uuid, Set<Integer>> partitions = new HashMap<>();
        assignment.put(
            key.memberId(), new MemberPartitions(Collections.unmodifiableMap(partitions)));
        for (Uuid topicId : group.memberSubscription(key.memberId()).subscribedTopicIds()) {
          membersByTopic.computeIfAbsent(topicId, t -> new ArrayList<>()).add(partitions);
        }
      }
    }
    membersByTopic.forEach(
        (topicId, members) -> {
          int partitions = topics.numPartitions(topicId);
          if (partitions <= 0) {
            return;
          }
          int n = members.size();
          int base = partitions / n;
          int extra = partitions % n;
          int next = 0;
          for (int i = 0; i < n; i++) {
            int count = base + (i < extra ? 1 : 0);
            if (count > 0) {
              members.get(i).put(topicId, PartitionSets.range(next, next + count));
            }
            next += count;
          }
        });
    return new GroupAssignment(assignment);
  }
}
