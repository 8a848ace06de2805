package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.group.assignor.Assignors;

/** Group defaults of the broker. Build one with {@link #builder()}; unset values are defaults. */
public record GroupConfig(
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    int initialRebalanceDelayMs,
    int maxSize,
    long offsetsRetentionMs,
    int offsetMetadataMaxBytes,
    int newMemberJoinTimeoutMs,
    int consumerSessionTimeoutMs,
    int consumerHeartbeatIntervalMs,
    Assignors assignors) {

  public static GroupConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Kafka's defaults for each setting. */
  public static final class Builder {
    private int minSessionTimeoutMs = 6_000;
    private int maxSessionTimeoutMs = 1_800_000;
    private int initialRebalanceDelayMs = 3_000;
    private int maxSize = Integer.MAX_VALUE;
    private long offsetsRetentionMs = 7L * 24 * 3600 * 1000;
    private int offsetMetadataMaxBytes = 4096;
    private int newMemberJoinTimeoutMs = 300_000;
    private int consumerSessionTimeoutMs = 45_000;
    private int consumerHeartbeatIntervalMs = 5_000;
    private Assignors assignors = Assignors.standard();

    private Builder() {}

    public Builder minSessionTimeoutMs(int value) {
      minSessionTimeoutMs = value;
      return this;
    }

    public Builder maxSessionTimeoutMs(int value) {
      maxSessionTimeoutMs = value;
      return this;
    }

    public Builder initialRebalanceDelayMs(int value) {
      initialRebalanceDelayMs = value;
      return this;
    }

    public Builder maxSize(int value) {
      maxSize = value;
      return this;
    }

    public Builder offsetsRetentionMs(long value) {
      offsetsRetentionMs = value;
      return this;
    }

    public Builder offsetMetadataMaxBytes(int value) {
      offsetMetadataMaxBytes = value;
      return this;
    }

    public Builder newMemberJoinTimeoutMs(int value) {
      newMemberJoinTimeoutMs = value;
      return this;
    }

    /** Consumer-protocol members are removed when they do not heartbeat for this long. */
    public Builder consumerSessionTimeoutMs(int value) {
      consumerSessionTimeoutMs = value;
      return this;
    }

    /** How often consumer-protocol members are told to heartbeat. */
    public Builder consumerHeartbeatIntervalMs(int value) {
      consumerHeartbeatIntervalMs = value;
      return this;
    }

    /** The server-side assignors; the first is the default. */
    public Builder assignors(Assignors value) {
      assignors = value;
      return this;
    }

    public GroupConfig build() {
      return new GroupConfig(
          minSessionTimeoutMs,
          maxSessionTimeoutMs,
          initialRebalanceDelayMs,
          maxSize,
          offsetsRetentionMs,
          offsetMetadataMaxBytes,
          newMemberJoinTimeoutMs,
          consumerSessionTimeoutMs,
          consumerHeartbeatIntervalMs,
          assignors);
    }
  }
}
