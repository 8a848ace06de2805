package io.groupwarden.coordinator.group.offset;

import io.groupwarden.coordinator.group.GroupRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;

/**
 * The committed offsets of a shard's groups. Changed only by replaying durable records, so what
 * OffsetFetch reads has always been acknowledged. Topic-partition keys are shared between groups: a
 * million offsets over a few hundred partitions keep a few hundred key objects.
 */
final class CommittedOffsets {
  private final Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = new HashMap<>();
  private final Map<TopicPartition, TopicPartition> keys = new HashMap<>();

  void put(String groupId, String topic, int partition, OffsetAndMetadata offset) {
    byGroup
        .computeIfAbsent(groupId, g -> new HashMap<>())
        .put(key(new TopicPartition(topic, partition)), offset);
  }

  void remove(String groupId, String topic, int partition) {
    Map<TopicPartition, OffsetAndMetadata> committed = byGroup.get(groupId);
    if (committed != null) {
      committed.remove(new TopicPartition(topic, partition));
      if (committed.isEmpty()) {
        byGroup.remove(groupId);
      }
    }
  }

  void removeGroup(String groupId) {
    byGroup.remove(groupId);
  }

  /** A read-only view of a group's offsets (empty when it has none). */
  Map<TopicPartition, OffsetAndMetadata> of(String groupId) {
    Map<TopicPartition, OffsetAndMetadata> committed = byGroup.get(groupId);
    return committed == null ? Map.of() : Collections.unmodifiableMap(committed);
  }

  long count() {
    long total = 0;
    for (Map<TopicPartition, OffsetAndMetadata> committed : byGroup.values()) {
      total += committed.size();
    }
    return total;
  }

  /** What OffsetFetch answers for a group: every offset when {@code topics} is null. */
  List<OffsetFetchResponseTopics> fetch(String groupId, List<OffsetFetchRequestTopics> topics) {
    Map<TopicPartition, OffsetAndMetadata> committed = of(groupId);
    Map<String, OffsetFetchResponseTopics> byTopic = new LinkedHashMap<>();
    if (topics == null) {
      committed.forEach(
          (tp, om) ->
              byTopic
                  .computeIfAbsent(tp.topic(), t -> new OffsetFetchResponseTopics().setName(t))
                  .partitions()
                  .add(partitionResponse(tp.partition(), om)));
    } else {
      for (OffsetFetchRequestTopics topic : topics) {
        OffsetFetchResponseTopics topicResponse =
            byTopic.computeIfAbsent(topic.name(), t -> new OffsetFetchResponseTopics().setName(t));
        for (int partition : topic.partitionIndexes()) {
          topicResponse
              .partitions()
              .add(
                  partitionResponse(
                      partition, committed.get(new TopicPartition(topic.name(), partition))));
        }
      }
    }
    return new ArrayList<>(byTopic.values());
  }

  private static OffsetFetchResponsePartitions partitionResponse(
      int partition, OffsetAndMetadata om) {
    OffsetFetchResponsePartitions response =
        new OffsetFetchResponsePartitions().setPartitionIndex(partition);
    return om == null
        ? response.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("")
        : response
            .setCommittedOffset(om.offset())
            .setCommittedLeaderEpoch(om.leaderEpoch())
            .setMetadata(om.metadata());
  }

  /** Every offset as the record that would recreate it: what a compacted log must hold. */
  List<GroupRecord> asRecords() {
    List<GroupRecord> records = new ArrayList<>();
    byGroup.forEach((groupId, committed) -> OffsetRecords.commits(groupId, committed, records));
    return records;
  }

  private TopicPartition key(TopicPartition tp) {
    TopicPartition existing = keys.putIfAbsent(tp, tp);
    return existing == null ? tp : existing;
  }
}
