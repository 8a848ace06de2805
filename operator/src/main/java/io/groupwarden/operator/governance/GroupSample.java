package io.groupwarden.operator.governance;

import java.time.Instant;
import java.util.List;

/**
 * What one collection cycle observed of one consumer group: plain values, no client objects.
 *
 * @param groupId the group id
 * @param time when the offsets were read
 * @param state the broker's group state (Stable, Empty, PreparingRebalance, CompletingRebalance,
 *     Dead, Assigning, Reconciling, Unknown, ...)
 * @param assignor the partition assignor or protocol the group uses; empty when unknown
 * @param epoch the group epoch when the broker reports one (consumer protocol), otherwise null
 * @param members the members and what each is assigned
 * @param partitions every partition of the group's topics (after the policy's topic filter), with
 *     its offsets
 */
public record GroupSample(
    String groupId,
    Instant time,
    String state,
    String assignor,
    Integer epoch,
    List<MemberSample> members,
    List<PartitionSample> partitions) {

  public GroupSample {
    members = List.copyOf(members);
    partitions = List.copyOf(partitions);
  }

  /** This sample with other partition samples (the same group, time and members). */
  public GroupSample withPartitions(List<PartitionSample> partitions) {
    return new GroupSample(groupId, time, state, assignor, epoch, members, partitions);
  }

  /**
   * One member of the group.
   *
   * @param memberId the broker-assigned member id
   * @param instanceId the static member id ({@code group.instance.id}), or null
   * @param clientId the client id
   * @param host the client host
   * @param assignment the partitions assigned to this member
   */
  public record MemberSample(
      String memberId,
      String instanceId,
      String clientId,
      String host,
      List<PartitionRef> assignment) {
    public MemberSample {
      assignment = List.copyOf(assignment);
    }

    /** The identity that survives a restart: the static instance id if set, else the member id. */
    public String identity() {
      return instanceId != null ? instanceId : memberId;
    }
  }

  /**
   * What was read of one partition at sample time.
   *
   * @param topic topic name
   * @param partition partition number
   * @param logStartOffset the earliest offset still in the log; -1 when not read
   * @param logEndOffset the latest offset (high watermark)
   * @param committedOffset the group's committed offset, or null when the group has none
   * @param oldestUnconsumedTime the timestamp (epoch milliseconds) of the oldest record the group
   *     has not consumed that still exists, when it was read; null otherwise. It is read only when
   *     the history cannot tell the lag in time by itself (see {@link LagTimeEstimator}).
   * @param sizeBytes the bytes the partition's log holds; -1 when not read. It is read only for
   *     topics whose retention is limited in bytes.
   * @param retention the topic's retention limits; null when they could not be read
   */
  public record PartitionSample(
      String topic,
      int partition,
      long logStartOffset,
      long logEndOffset,
      Long committedOffset,
      Long oldestUnconsumedTime,
      long sizeBytes,
      TopicRetention retention) {

    /** The offsets of a partition, with nothing else read. */
    public PartitionSample(
        String topic, int partition, long logStartOffset, long logEndOffset, Long committedOffset) {
      this(topic, partition, logStartOffset, logEndOffset, committedOffset, null, -1, null);
    }

    public PartitionRef ref() {
      return new PartitionRef(topic, partition);
    }

    /** This sample with the topic's retention limits and the partition's size in bytes. */
    public PartitionSample withRetention(TopicRetention retention, long sizeBytes) {
      return new PartitionSample(
          topic,
          partition,
          logStartOffset,
          logEndOffset,
          committedOffset,
          oldestUnconsumedTime,
          sizeBytes,
          retention);
    }

    /** This sample with the timestamp of the oldest record the group has not consumed. */
    public PartitionSample withOldestUnconsumedTime(Long timeMillis) {
      return new PartitionSample(
          topic,
          partition,
          logStartOffset,
          logEndOffset,
          committedOffset,
          timeMillis,
          sizeBytes,
          retention);
    }
  }

  /** A topic partition, without Kafka's client classes. */
  public record PartitionRef(String topic, int partition) implements Comparable<PartitionRef> {
    @Override
    public int compareTo(PartitionRef other) {
      int byTopic = topic.compareTo(other.topic);
      return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
      return topic + "-" + partition;
    }
  }
}
