package io.groupwarden.coordinator.group;

import java.util.function.LongSupplier;

/**
 * What every part of one group shard works with: the group settings, the clock, the shard's timers
 * and metrics, the groups it holds and the topics it knows. Built once per shard and handed to the
 * managers and handlers that share its thread, instead of the same five or six arguments each.
 */
public record GroupContext(
    GroupConfig config,
    LongSupplier clock,
    GroupTimer timer,
    GroupMetrics metrics,
    GroupRegistry groups,
    TopicMetadata topics) {

  /** The shard's time now, in milliseconds. */
  public long now() {
    return clock.getAsLong();
  }
}
