package io.groupwarden.coordinator.group.assignor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
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

  /**
   * Every member subscribes to the same topics: quotas of {@code base} or {@code base + 1}. The
   * members that hold the most keep the larger quotas; each keeps what it has up to its quota (a
   * member that keeps all of it and gets nothing new keeps its very map); the rest is handed out in
   * order to members below their quota.
   */
  private static GroupAssignment homogeneous(
      GroupSpec group, SubscribedTopicDescriber topics, List<String> members) {
    List<Uuid> topicIds =
        new ArrayList<>(group.memberSubscription(members.get(0)).subscribedTopicIds());
    Collections.sort(topicIds);
    int topicCount = topicIds.size();
    Map<Uuid, Integer> topicIndex = new HashMap<>();
    int[] counts = new int[topicCount];
    int total = 0;
    for (int t = 0; t < topicCount; t++) {
      topicIndex.put(topicIds.get(t), t);
      counts[t] = Math.max(0, topics.numPartitions(topicIds.get(t)));
      total += counts[t];
    }
    int n = members.size();
    // owner[t][p]: index of the member that keeps partition p of topic t, or -1.
    int[][] owner = new int[topicCount][];
    for (int t = 0; t < topicCount; t++) {
      owner[t] = new int[counts[t]];
      Arrays.fill(owner[t], -1);
    }
    List<Map<Uuid, Set<Integer>>> current = new ArrayList<>(n);
    int[] retained = new int[n];
    boolean[] intact = new boolean[n];
    Claims claims = new Claims(topicIndex, counts, owner);
    for (int m = 0; m < n; m++) {
      Map<Uuid, Set<Integer>> partitions = group.memberAssignment(members.get(m)).partitions();
      current.add(partitions);
      claims.member = m;
      claims.kept = 0;
      claims.valid = true;
      // forEach reaches the map's entries without the wrapper an unmodifiable entry set makes.
      partitions.forEach(claims);
      retained[m] = claims.kept;
      intact[m] = claims.valid;
    }
    // The larger quotas go to the members holding the most (ties by member id): fewest moves.
    long[] byRetained = new long[n];
    for (int m = 0; m < n; m++) {
      // Most retained first, then member order: one primitive sort.
      byRetained[m] = ((long) (Integer.MAX_VALUE - retained[m]) << 32) | m;
    }
    Arrays.sort(byRetained);
    int base = total / n;
    int extra = total % n;
    int[] quota = new int[n];
    for (int i = 0; i < n; i++) {
      quota[(int) byRetained[i]] = base + (i < extra ? 1 : 0);
    }
    // Members above their quota give up their highest partitions.
    int[] keptCount = retained.clone();
    for (int t = topicCount - 1; t >= 0; t--) {
      for (int p = counts[t] - 1; p >= 0; p--) {
        int m = owner[t][p];
        if (m >= 0 && keptCount[m] > quota[m]) {
          owner[t][p] = -1;
          keptCount[m]--;
          intact[m] = false;
        }
      }
    }
    // Hand out what nobody keeps, in order, to the members below their quota (by member id).
    int member = 0;
    for (int t = 0; t < topicCount; t++) {
      for (int p = 0; p < counts[t]; p++) {
        if (owner[t][p] >= 0) {
          continue;
        }
        while (keptCount[member] >= quota[member]) {
          member++;
        }
        owner[t][p] = member;
        keptCount[member]++;
        intact[member] = false;
      }
    }
    // The result: a member whose partitions did not change keeps its map.
    List<int[]> buffers = new ArrayList<>(n);
    List<Map<Uuid, Set<Integer>>> built = new ArrayList<>(n);
    int[] fill = new int[n];
    for (int m = 0; m < n; m++) {
      built.add(intact[m] ? null : new HashMap<>());
      buffers.add(intact[m] ? null : new int[Math.max(1, keptCount[m])]);
    }
    for (int t = 0; t < topicCount; t++) {
      Arrays.fill(fill, 0);
      for (int p = 0; p < counts[t]; p++) {
        int m = owner[t][p];
        if (m >= 0 && !intact[m]) {
          buffers.get(m)[fill[m]++] = p;
        }
      }
      for (int m = 0; m < n; m++) {
        if (!intact[m] && fill[m] > 0) {
          built.get(m).put(topicIds.get(t), PartitionSets.of(buffers.get(m), fill[m]));
        }
      }
    }
    Map<String, MemberAssignment> result = new HashMap<>(n * 4 / 3 + 1);
    for (int m = 0; m < n; m++) {
      Map<Uuid, Set<Integer>> partitions =
          intact[m] ? current.get(m) : Collections.unmodifiableMap(built.get(m));
      result.put(members.get(m), new MemberPartitions(partitions));
    }
    return new GroupAssignment(result);
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
    Map<String, MemberAssignment> result = new HashMap<>();
    owned.forEach(
        (member, slots) -> {
          Map<Uuid, Set<Integer>> partitions = new HashMap<>();
          slots.forEach(
              slot ->
                  partitions
                      .computeIfAbsent(slot.topicId(), t -> new TreeSet<>())
                      .add(slot.partition()));
          result.put(member, new MemberPartitions(Collections.unmodifiableMap(partitions)));
        });
    return new GroupAssignment(result);
  }

  /** One member's claims on the partitions it owns now, recorded in the owner table. */
  private static final class Claims implements BiConsumer<Uuid, Set<Integer>> {
    private final Map<Uuid, Integer> topicIndex;
    private final int[] counts;
    private final int[][] owner;
    int member;
    int kept;
    boolean valid;

    Claims(Map<Uuid, Integer> topicIndex, int[] counts, int[][] owner) {
      this.topicIndex = topicIndex;
      this.counts = counts;
      this.owner = owner;
    }

    @Override
    public void accept(Uuid topicId, Set<Integer> partitions) {
      Integer t = topicIndex.get(topicId);
      int[] range = PartitionSets.asRange(partitions);
      if (t != null && range != null && range[0] >= 0 && range[1] <= counts[t]) {
        // A range from a previous run: claimed without boxing each partition.
        int[] owners = owner[t];
        for (int p = range[0]; p < range[1]; p++) {
          if (owners[p] < 0) {
            owners[p] = member;
            kept++;
          } else {
            valid = false;
          }
        }
        return;
      }
      for (int p : partitions) {
        if (t != null && p >= 0 && p < counts[t] && owner[t][p] < 0) {
          owner[t][p] = member;
          kept++;
        } else {
          valid = false;
        }
      }
    }
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
