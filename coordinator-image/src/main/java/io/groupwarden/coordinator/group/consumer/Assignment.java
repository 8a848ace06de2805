package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.TopicMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** Partitions by topic id: a member's assigned, pending or target partitions. Immutable. */
public record Assignment(Map<Uuid, Set<Integer>> partitions) {
  public static final Assignment EMPTY = new Assignment(Map.of());

  public Assignment {
    TreeMap<Uuid, Set<Integer>> copy = new TreeMap<>();
    partitions.forEach(
        (topicId, set) -> {
          if (!set.isEmpty()) {
            copy.put(topicId, Collections.unmodifiableSet(new TreeSet<>(set)));
          }
        });
    partitions = Collections.unmodifiableMap(copy);
  }

  /** Builds one from (topic id, partitions) pairs of a request or a record. */
  public static <T> Assignment of(
      List<T> topics,
      java.util.function.Function<T, Uuid> topicId,
      java.util.function.Function<T, List<Integer>> partitions) {
    if (topics == null || topics.isEmpty()) {
      return EMPTY;
    }
    TreeMap<Uuid, Set<Integer>> map = new TreeMap<>();
    for (T topic : topics) {
      map.computeIfAbsent(topicId.apply(topic), t -> new TreeSet<>())
          .addAll(partitions.apply(topic));
    }
    return new Assignment(map);
  }

  public boolean isEmpty() {
    return partitions.isEmpty();
  }

  public boolean contains(Uuid topicId, int partition) {
    Set<Integer> set = partitions.get(topicId);
    return set != null && set.contains(partition);
  }

  public int size() {
    int size = 0;
    for (Set<Integer> set : partitions.values()) {
      size += set.size();
    }
    return size;
  }

  /** The partitions of this one that {@code keep} accepts. */
  public Assignment filter(BiPredicate<Uuid, Integer> keep) {
    TreeMap<Uuid, Set<Integer>> map = new TreeMap<>();
    partitions.forEach(
        (topicId, set) -> {
          for (int p : set) {
            if (keep.test(topicId, p)) {
              map.computeIfAbsent(topicId, t -> new TreeSet<>()).add(p);
            }
          }
        });
    return new Assignment(map);
  }

  public Assignment minus(Assignment other) {
    return filter((t, p) -> !other.contains(t, p));
  }

  public Assignment intersect(Assignment other) {
    return filter(other::contains);
  }

  public Assignment union(Assignment other) {
    TreeMap<Uuid, Set<Integer>> map = new TreeMap<>();
    partitions.forEach((t, set) -> map.computeIfAbsent(t, x -> new TreeSet<>()).addAll(set));
    other.partitions.forEach((t, set) -> map.computeIfAbsent(t, x -> new TreeSet<>()).addAll(set));
    return new Assignment(map);
  }

  /** True when any partition is in both. */
  public boolean overlaps(Assignment other) {
    for (Map.Entry<Uuid, Set<Integer>> entry : partitions.entrySet()) {
      for (int p : entry.getValue()) {
        if (other.contains(entry.getKey(), p)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Converts each topic with a factory: (topic id, sorted partitions) to a wire or record type. */
  public <T> List<T> toList(java.util.function.BiFunction<Uuid, List<Integer>, T> factory) {
    List<T> list = new ArrayList<>(partitions.size());
    partitions.forEach((topicId, set) -> list.add(factory.apply(topicId, new ArrayList<>(set))));
    return list;
  }

  /** The partitions by topic name; those of topics that no longer exist are left out. */
  public List<TopicPartition> byName(TopicMetadata topics) {
    List<TopicPartition> result = new ArrayList<>();
    partitions.forEach(
        (topicId, set) -> {
          TopicMetadata.Topic topic = topics.byId(topicId);
          if (topic != null) {
            set.forEach(p -> result.add(new TopicPartition(topic.name(), p)));
          }
        });
    return result;
  }
}
