package io.groupwarden.coordinator.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/** Partitions grouped the way Kafka's records and this broker's answers list them. */
public final class TopicPartitions {
  private TopicPartitions() {}

  /** The partition numbers of each topic: topics in name order, each one's numbers ascending. */
  public static SortedMap<String, List<Integer>> byTopic(Collection<TopicPartition> partitions) {
    SortedMap<String, List<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : partitions) {
      byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
    }
    byTopic.values().forEach(numbers -> numbers.sort(Integer::compare));
    return byTopic;
  }
}
