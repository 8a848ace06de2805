package io.groupwarden.operator.governance;

/**
 * The replica counts a scaler may choose from: {@code [minReplicas, maxReplicas]}, and never more
 * than the partition count, since a consumer without a partition does nothing. When the minimum is
 * above that ceiling, the ceiling wins.
 *
 * @param minReplicas the configured minimum
 * @param maxReplicas the configured maximum
 * @param partitions the partitions to consume; 0 when unknown, which caps nothing
 */
public record ScaleBounds(int minReplicas, int maxReplicas, int partitions) {
  public ScaleBounds {
    if (minReplicas < 0 || maxReplicas < 0 || partitions < 0) {
      throw new IllegalArgumentException(
          "replica bounds and partition count cannot be negative: min="
              + minReplicas
              + " max="
              + maxReplicas
              + " partitions="
              + partitions);
    }
  }

  /** The largest allowed count. */
  public int ceiling() {
    return partitions > 0 ? Math.min(maxReplicas, partitions) : maxReplicas;
  }

  /** The smallest allowed count. */
  public int floor() {
    return Math.min(minReplicas, ceiling());
  }

  /** The nearest allowed count. */
  public int clamp(long replicas) {
    return (int) Math.max(floor(), Math.min(ceiling(), replicas));
  }
}
