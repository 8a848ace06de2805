package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds {@link GroupSample}s for tests: {@code group("g").at(t).member(...).partition(...)}. */
public final class GroupSamples {
  private final String groupId;
  private Instant time = Instant.parse("2025-01-01T00:00:00Z");
  private String state = "Stable";
  private String assignor = "range";
  private Integer epoch;
  private final List<MemberSample> members = new ArrayList<>();
  private final List<PartitionSample> partitions = new ArrayList<>();

  private GroupSamples(String groupId) {
    this.groupId = groupId;
  }

  public static GroupSamples group(String groupId) {
    return new GroupSamples(groupId);
  }

  /**
   * Group g with members m1, m2 and m3 on two partitions each of orders-0..5, every partition at
   * the same log end and committed offset.
   */
  public static GroupSamples threeMembersOnSixPartitions(long logEnd, long committed) {
    GroupSamples sample =
        group("g")
            .member("m1", "orders-0", "orders-1")
            .member("m2", "orders-2", "orders-3")
            .member("m3", "orders-4", "orders-5");
    for (int p = 0; p < 6; p++) {
      sample.partition("orders", p, logEnd, committed);
    }
    return sample;
  }

  public GroupSamples at(Instant time) {
    this.time = time;
    return this;
  }

  public GroupSamples state(String state) {
    this.state = state;
    return this;
  }

  public GroupSamples assignor(String assignor) {
    this.assignor = assignor;
    return this;
  }

  public GroupSamples epoch(Integer epoch) {
    this.epoch = epoch;
    return this;
  }

  /** A dynamic member owning partitions written as {@code topic-partition}. */
  public GroupSamples member(String memberId, String... partitions) {
    return staticMember(memberId, null, partitions);
  }

  /** A member with a static instance id, owning partitions written as {@code topic-partition}. */
  public GroupSamples staticMember(String memberId, String instanceId, String... partitions) {
    members.add(
        new MemberSample(
            memberId,
            instanceId,
            "client-" + memberId,
            "/10.0.0.1",
            Arrays.stream(partitions).map(GroupSamples::ref).toList()));
    return this;
  }

  /** A partition with a committed offset. */
  public GroupSamples partition(String topic, int partition, long logEnd, long committed) {
    partitions.add(new PartitionSample(topic, partition, -1, logEnd, committed));
    return this;
  }

  /** A partition with a committed offset and its log start, which may be above that offset. */
  public GroupSamples partition(
      String topic, int partition, long logStart, long logEnd, long committed) {
    partitions.add(new PartitionSample(topic, partition, logStart, logEnd, committed));
    return this;
  }

  /** Any partition sample, e.g. one with retention limits or a record time. */
  public GroupSamples partition(PartitionSample partition) {
    partitions.add(partition);
    return this;
  }

  /** A partition the group has no committed offset for. */
  public GroupSamples uncommitted(String topic, int partition, long logStart, long logEnd) {
    partitions.add(new PartitionSample(topic, partition, logStart, logEnd, null));
    return this;
  }

  public GroupSample build() {
    return new GroupSample(groupId, time, state, assignor, epoch, members, partitions);
  }

  /** {@code orders-3} → topic {@code orders}, partition 3. */
  public static PartitionRef ref(String topicPartition) {
    int dash = topicPartition.lastIndexOf('-');
    return new PartitionRef(
        topicPartition.substring(0, dash), Integer.parseInt(topicPartition.substring(dash + 1)));
  }
}
