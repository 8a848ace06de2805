package io.groupwarden.operator.governance;

import java.time.Instant;

/**
 * A read-only view of what is retained about one group: its newest sample, the history of each of
 * that sample's partitions, and the rebalances observed.
 */
public interface GroupTimeline {
  /** The newest sample. */
  GroupSample latest();

  /**
   * The history of the partition at {@code index} of {@code latest().partitions()}; its age 0 is
   * that sample.
   */
  PartitionTimeline partition(int index);

  /** How many rebalances were observed at samples taken after {@code from}. */
  int rebalancesSince(Instant from);
}
