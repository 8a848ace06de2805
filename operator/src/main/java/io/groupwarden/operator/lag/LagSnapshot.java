package io.groupwarden.operator.lag;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What one collection cycle read from one cluster.
 *
 * @param time when the cycle read the offsets
 * @param groups a sample per group that exists
 * @param missingGroups explicitly named groups that the cluster does not know (or that are dead)
 */
public record LagSnapshot(Instant time, List<GroupSample> groups, List<String> missingGroups) {
  public LagSnapshot {
    groups = List.copyOf(groups);
    missingGroups = List.copyOf(missingGroups);
  }

  /**
   * This snapshot with each partition sample of each group replaced by what {@code change} makes of
   * it.
   */
  public LagSnapshot withEachPartition(UnaryOperator<PartitionSample> change) {
    List<GroupSample> changed =
        groups.stream()
            .map(group -> group.withPartitions(group.partitions().stream().map(change).toList()))
            .toList();
    return new LagSnapshot(time, changed, missingGroups);
  }
}
