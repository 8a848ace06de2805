package io.groupwarden.coordinator.group.offset;

import io.groupwarden.coordinator.group.GroupRecord;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;

/** Committed offsets as Kafka's {@code OffsetCommitKey}/{@code OffsetCommitValue} records. */
public final class OffsetRecords {
  /** The version with an explicit expiry (commits of OffsetCommit v1-4 that set a retention). */
  private static final short WITH_EXPIRY = 1;

  /** The version with the leader epoch, for every other commit. */
  private static final short WITH_LEADER_EPOCH = 3;

  private OffsetRecords() {}

  public static GroupRecord commit(
      String groupId, String topic, int partition, OffsetAndMetadata offset) {
    OffsetCommitValue value =
        new OffsetCommitValue()
            .setOffset(offset.offset())
            .setLeaderEpoch(offset.leaderEpoch())
            .setMetadata(offset.metadata())
            .setCommitTimestamp(offset.commitTimestamp())
            .setExpireTimestamp(offset.expireTimestamp());
    return GroupRecord.of(
        key(groupId, topic, partition),
        value,
        offset.expireTimestamp() >= 0 ? WITH_EXPIRY : WITH_LEADER_EPOCH);
  }

  /** Adds the record of each of a group's offsets to {@code out}. */
  static void commits(
      String groupId, Map<TopicPartition, OffsetAndMetadata> offsets, List<GroupRecord> out) {
    offsets.forEach((tp, om) -> out.add(commit(groupId, tp.topic(), tp.partition(), om)));
  }

  public static GroupRecord tombstone(String groupId, String topic, int partition) {
    return GroupRecord.tombstone(key(groupId, topic, partition));
  }

  private static OffsetCommitKey key(String groupId, String topic, int partition) {
    return new OffsetCommitKey().setGroup(groupId).setTopic(topic).setPartition(partition);
  }

  /** The offset a value describes; versions without a field read as Kafka's defaults (-1). */
  static OffsetAndMetadata offset(OffsetCommitValue value) {
    return new OffsetAndMetadata(
        value.offset(),
        value.leaderEpoch(),
        value.metadata(),
        value.commitTimestamp(),
        value.expireTimestamp());
  }
}
