package io.groupwarden.coordinator.group.assignor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;

/**
 * {@code uniform}, the default: balanced and sticky. A partition stays with the member that has it
 * unless balance requires it to move. With identical subscriptions every member gets {@code
 * partitions / members} partitions or one more; with different subscriptions partitions move to a
 * member that may take them while it has at least two fewer than their owner.
 */
public final class UniformAssignor implements ConsumerGroupPartitionAssignor {
  public static final String NAME = "uniform";

  @Override
  public String name() {
    return NAME;
  }

  /** A partition of a topic, ordered by topic id then partition. */
  private record Slot(Uuid topicId, int partition) implements Comparable<Slot> {
    @Override
    public int compareTo(Slot o) {
      int byTopic = topicId.compareTo(o.topicId);
      return byTopic != 0 ? byTopic : Integer.compare(partition, o.partition);
    }
  }

  @Override
  public GroupAssignment assign(GroupSpec group, SubscribedTopicDescriber topics) {
    List<String> members = new ArrayList<>(group.memberIds());
    Collections.sort(members);
    if (members.isEmpty()) {
      return new GroupAssignment(Map.of());
    }
    return group.subscriptionType() == SubscriptionType.HOMOGENEOUS
        ? homogeneous(group, topics, members)
        : heterogeneous(group, topics, members);
  }

  /** Every member subscribes to the same topics: quotas of {@code base} or {@code base + 1}. */
  private static GroupAssignment homogeneous(
      GroupSpec group, SubscribedTopicDescriber topics, List<String> members) {
    List<Uuid> topicIds =
        new ArrayList<>(group.memberSubscription(members.get(0)).subscribedTopicIds());
    Collections.sort(topicIds);
    Map<Uuid, Integer> partitionCounts = new HashMap<>();
    int total = 0;
    for (Uuid topicId : topicIds) {
      int count = Math.max(0, topics.numPartitions(topicId));
      partitionCounts.put(topicId, count);
      total += count;
    }
    int n = members.size();
    int base = total / n;
    int extra = total % n;

    // What each member had and may keep: partitions that still exist, each claimed once.
    Map<String, List<Slot>> retained = new HashMap<>();
    Set<Slot> claimed = new HashSet<>();
    for (String member : members) {
      List<Slot> kept = new ArrayList<>();
      group
          .memberAssignment(member)
          .partitions()
          .forEach(
              (topicId, partitions) -> {
                Integer count = partitionCounts.get(topicId);
                if (count == null) {
                  return;
                }
                for (int p : partitions) {
                  Slot slot = new Slot(topicId, p);
                  if (p < count && claimed.add(slot)) {
                    kept.add(slot);
                  }
                }
              });
      Collections.sort(kept);
      retained.put(member, kept);
    }
    // The members that hold the most get the quotas of base + 1: fewest moves.
    List<String> byRetained = new ArrayList<>(members);
    byRetained.sort(
        Comparator.comparingInt((String m) -> retained.get(m).size())
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    Map<String, Integer> quota = new HashMap<>();
    for (int i = 0; i < n; i++) {
      quota.put(byRetained.get(i), base + (i < extra ? 1 : 0));
    }
    Map<String, MemberPartitions> result = new HashMap<>();
    Set<Slot> assigned = new HashSet<>();
    int[] room = new int[n];
    for (int m = 0; m < n; m++) {
      String member = members.get(m);
      MemberPartitions partitions = MemberPartitions.empty();
      List<Slot> kept = retained.get(member);
      int keep = Math.min(kept.size(), quota.get(member));
      room[m] = quota.get(member) - keep;
      for (int i = 0; i < keep; i++) {
        Slot slot = kept.get(i);
        partitions.add(slot.topicId(), slot.partition());
        assigned.add(slot);
      }
      result.put(member, partitions);
    }
    // Hand out the rest in order to the members below their quota.
    int memberIndex = 0;
    for (Uuid topicId : topicIds) {
      int count = partitionCounts.get(topicId);
      for (int p = 0; p < count; p++) {
        if (assigned.contains(new Slot(topicId, p))) {
          continue;
        }
        while (room[memberIndex] == 0) {
          memberIndex++;
        }
        room[memberIndex]--;
        result.get(members.get(memberIndex)).add(topicId, p);
      }
    }
    return new GroupAssignment(Collections.unmodifiableMap(result));
  }

  /**
   * Members subscribe to different topics: previous owners keep what they still subscribe to, the
   * rest goes to the least loaded eligible member, then partitions move from a member to an
   * eligible one with at least two fewer until none can.
   */
  private static GroupAssignment heterogeneous(
      GroupSpec group, SubscribedTopicDescriber topics, List<String> members) {
    Map<Uuid, List<String>> subscribers = new HashMap<>();
    for (String member : members) {
      for (Uuid topicId : group.memberSubscription(member).subscribedTopicIds()) {
        subscribers.computeIfAbsent(topicId, t -> new ArrayList<>()).add(member);
      }
    }
    Map<Slot, String> owner = new HashMap<>();
    Map<String, TreeSet<Slot>> owned = new HashMap<>();
    members.forEach(m -> owned.put(m, new TreeSet<>()));
    for (String member : members) {
      Set<Uuid> subscribed = group.memberSubscription(member).subscribedTopicIds();
      group
          .memberAssignment(member)
          .partitions()
          .forEach(
              (topicId, partitions) -> {
                if (!subscribed.contains(topicId)) {
                  return;
                }
                int count = topics.numPartitions(topicId);
                for (int p : partitions) {
                  Slot slot = new Slot(topicId, p);
                  if (p < count && owner.putIfAbsent(slot, member) == null) {
                    owned.get(member).add(slot);
                  }
                }
              });
    }
    // Topics with the fewest subscribers first: they have the fewest places to go.
    List<Uuid> topicIds = new ArrayList<>(subscribers.keySet());
    topicIds.sort(
        Comparator.comparingInt((Uuid t) -> subscribers.get(t).size())
            .thenComparing(Comparator.naturalOrder()));
    for (Uuid topicId : topicIds) {
      List<String> eligible = subscribers.get(topicId);
      int count = Math.max(0, topics.numPartitions(topicId));
      for (int p = 0; p < count; p++) {
        Slot slot = new Slot(topicId, p);
        if (!owner.containsKey(slot)) {
          String target = leastLoaded(eligible, owned);
          owner.put(slot, target);
          owned.get(target).add(slot);
        }
      }
    }
    boolean moved = true;
    while (moved) {
      moved = false;
      List<String> byLoad = new ArrayList<>(members);
      byLoad.sort(
          Comparator.comparingInt((String m) -> owned.get(m).size())
              .reversed()
              .thenComparing(Comparator.naturalOrder()));
      for (String from : byLoad) {
        for (Slot slot : new ArrayList<>(owned.get(from))) {
          String to = leastLoaded(subscribers.get(slot.topicId()), owned);
          if (owned.get(to).size() < owned.get(from).size() - 1) {
            owned.get(from).remove(slot);
            owned.get(to).add(slot);
            owner.put(slot, to);
            moved = true;
          }
        }
      }
    }
    Map<String, MemberPartitions> result = new HashMap<>();
    owned.forEach(
        (member, slots) -> {
          MemberPartitions partitions = MemberPartitions.empty();
          slots.forEach(s -> partitions.add(s.topicId(), s.partition()));
          result.put(member, partitions);
        });
    return new GroupAssignment(Collections.unmodifiableMap(result));
  }

  private static String leastLoaded(List<String> eligible, Map<String, TreeSet<Slot>> owned) {
    String best = null;
    int bestSize = Integer.MAX_VALUE;
    for (String member : eligible) {
      int size = owned.get(member).size();
      if (size < bestSize || (size == bestSize && member.compareTo(best) < 0)) {
        best = member;
        bestSize = size;
      }
    }
    return best;
  }
}
