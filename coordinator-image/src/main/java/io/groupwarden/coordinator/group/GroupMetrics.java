package io.groupwarden.coordinator.group;

/** What the group logic reports; implemented with Micrometer by the broker. */
public interface GroupMetrics {
  GroupMetrics NONE = new GroupMetrics() {};

  /** A classic group's new generation became stable, {@code durationMs} after it started. */
  default void rebalanceCompleted(long durationMs) {}

  /**
   * A consumer group's epoch moved (a member joined, left or changed, or its topics changed): a
   * rebalance of the consumer protocol, which has no generations.
   */
  default void groupEpochBumped() {}

  /** A consumer group whose epoch moved has every member reconciled, {@code durationMs} later. */
  default void consumerGroupReconciled(long durationMs) {}

  default void heartbeat() {}

  default void offsetsCommitted(int partitions) {}

  default void memberTimedOut() {}
}
