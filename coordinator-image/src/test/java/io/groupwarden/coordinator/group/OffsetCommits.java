package io.groupwarden.coordinator.group;

import java.util.List;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;

/** OffsetCommit requests for one partition, as the tests' clients send them. */
final class OffsetCommits {
  private OffsetCommits() {}

  /** A member's commit, with its generation (classic) or member epoch (consumer protocol). */
  static OffsetCommitRequestData ofMember(
      String group,
      String memberId,
      int generationOrEpoch,
      String topic,
      int partition,
      long offset) {
    return new OffsetCommitRequestData()
        .setGroupId(group)
        .setMemberId(memberId)
        .setGenerationIdOrMemberEpoch(generationOrEpoch)
        .setTopics(
            List.of(
                new OffsetCommitRequestTopic()
                    .setName(topic)
                    .setPartitions(
                        List.of(
                            new OffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)))));
  }

  /** A commit from outside any generation, as admin tools and simple consumers make. */
  static OffsetCommitRequestData ofNoMember(
      String group, String topic, int partition, long offset) {
    return ofMember(group, "", -1, topic, partition, offset);
  }
}
