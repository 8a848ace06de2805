package io.groupwarden.coordinator.group;

/** What the group logic reports; implemented with Micrometer by the broker. */
public interface GroupMetrics {
  GroupMetrics NONE = new GroupMetrics() {};

  default void rebalanceCompleted(long durationMs) {}

  default void heartbeat() {}

  default void offsetsCommitted(int partitions) {}

  default void memberTimedOut() {}
}
