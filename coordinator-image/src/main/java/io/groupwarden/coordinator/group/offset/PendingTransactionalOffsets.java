package io.groupwarden.coordinator.group.offset;

import io.groupwarden.coordinator.group.GroupRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets committed inside transactions that have not ended yet, by producer: they become committed
 * offsets when the transaction's commit marker is replayed and vanish with its abort marker. Until
 * then OffsetFetch does not show them, and a fetch with {@code require_stable} is told the
 * partition's offset is unstable.
 */
final class PendingTransactionalOffsets {
  private final Map<Long, Map<String, Map<TopicPartition, OffsetAndMetadata>>> byProducer =
      new HashMap<>();
  private final Map<String, Set<Long>> producersByGroup = new HashMap<>();

  void put(long producerId, String groupId, TopicPartition tp, OffsetAndMetadata offset) {
    byProducer
        .computeIfAbsent(producerId, p -> new HashMap<>())
        .computeIfAbsent(groupId, g -> new HashMap<>())
        .put(tp, offset);
    producersByGroup.computeIfAbsent(groupId, g -> new HashSet<>()).add(producerId);
  }

  boolean isPending(String groupId, TopicPartition tp) {
    Set<Long> producers = producersByGroup.get(groupId);
    if (producers == null) {
      return false;
    }
    for (long producerId : producers) {
      Map<TopicPartition, OffsetAndMetadata> offsets = byProducer.get(producerId).get(groupId);
      if (offsets != null && offsets.containsKey(tp)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A commit outside the transactions was made after theirs: it stays the newest, so theirs no
   * longer apply to that partition when they commit (as Kafka orders them by log position).
   */
  void supersede(String groupId, TopicPartition tp) {
    Set<Long> producers = producersByGroup.get(groupId);
    if (producers == null) {
      return;
    }
    for (long producerId : producers) {
      Map<TopicPartition, OffsetAndMetadata> offsets = byProducer.get(producerId).get(groupId);
      if (offsets != null) {
        offsets.remove(tp);
      }
    }
  }

  /** Removes and returns the producer's offsets, by group. */
  Map<String, Map<TopicPartition, OffsetAndMetadata>> take(long producerId) {
    Map<String, Map<TopicPartition, OffsetAndMetadata>> taken = byProducer.remove(producerId);
    if (taken == null) {
      return Map.of();
    }
    for (String groupId : taken.keySet()) {
      Set<Long> producers = producersByGroup.get(groupId);
      producers.remove(producerId);
      if (producers.isEmpty()) {
        producersByGroup.remove(groupId);
      }
    }
    return taken;
  }

  /** Every pending offset as the record that recreates it, by producer (for a compacted log). */
  Map<Long, List<GroupRecord>> asRecords() {
    Map<Long, List<GroupRecord>> records = new LinkedHashMap<>();
    byProducer.forEach(
        (producerId, groups) -> {
          List<GroupRecord> list = new ArrayList<>();
          groups.forEach((groupId, offsets) -> OffsetRecords.commits(groupId, offsets, list));
          records.put(producerId, list);
        });
    return records;
  }
}
