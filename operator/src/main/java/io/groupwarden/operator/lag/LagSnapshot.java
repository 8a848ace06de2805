package io.groupwarden.operator.lag;

import io.groupwarden.operator.governance.GroupSample;
import java.time.Instant;
import java.util.List;

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
}
