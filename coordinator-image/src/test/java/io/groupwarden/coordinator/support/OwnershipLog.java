package io.groupwarden.coordinator.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * When each member was told by its rebalance callbacks that it owns a partition and that it no
 * longer does, in wall-clock milliseconds (comparable between processes of one machine); then
 * whether two members ever owned a partition at the same time.
 */
public final class OwnershipLog {
  private record Interval(String member, long from, long to) {}

  private final Map<String, Map<String, Long>> open = new HashMap<>();
  private final Map<String, List<Interval>> closed = new HashMap<>();

  public synchronized void assigned(String member, Collection<TopicPartition> partitions, long at) {
    for (TopicPartition tp : partitions) {
      open.computeIfAbsent(key(tp), k -> new HashMap<>()).putIfAbsent(member, at);
    }
  }

  public synchronized void released(String member, Collection<TopicPartition> partitions, long at) {
    for (TopicPartition tp : partitions) {
      Map<String, Long> owners = open.get(key(tp));
      Long from = owners == null ? null : owners.remove(member);
      if (from != null) {
        closed.computeIfAbsent(key(tp), k -> new ArrayList<>()).add(new Interval(member, from, at));
      }
    }
  }

  /** Everything a member owns ends now (it was killed). */
  public synchronized void releasedAll(String member, long at) {
    open.forEach(
        (partition, owners) -> {
          Long from = owners.remove(member);
          if (from != null) {
            closed
                .computeIfAbsent(partition, k -> new ArrayList<>())
                .add(new Interval(member, from, at));
          }
        });
  }

  /** Partitions owned by two members at once, described; empty when there were none. */
  public synchronized List<String> overlaps() {
    List<String> problems = new ArrayList<>();
    Map<String, List<Interval>> all = new HashMap<>();
    closed.forEach((p, list) -> all.computeIfAbsent(p, k -> new ArrayList<>()).addAll(list));
    open.forEach(
        (p, owners) ->
            owners.forEach(
                (member, from) ->
                    all.computeIfAbsent(p, k -> new ArrayList<>())
                        .add(new Interval(member, from, Long.MAX_VALUE))));
    all.forEach(
        (partition, intervals) -> {
          for (int i = 0; i < intervals.size(); i++) {
            for (int j = i + 1; j < intervals.size(); j++) {
              Interval a = intervals.get(i);
              Interval b = intervals.get(j);
              if (!a.member().equals(b.member()) && a.from() < b.to() && b.from() < a.to()) {
                problems.add(partition + " owned by " + a + " and " + b);
              }
            }
          }
        });
    return problems;
  }

  private static String key(TopicPartition tp) {
    return tp.topic() + "-" + tp.partition();
  }
}
