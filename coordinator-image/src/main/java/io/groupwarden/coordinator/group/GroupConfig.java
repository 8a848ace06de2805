package io.groupwarden.coordinator.group;

/** Group defaults of the broker. */
public record GroupConfig(
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    int initialRebalanceDelayMs,
    int maxSize,
    long offsetsRetentionMs,
    int offsetMetadataMaxBytes,
    int newMemberJoinTimeoutMs) {

  public static GroupConfig defaults() {
    return new GroupConfig(
        6_000, 1_800_000, 3_000, Integer.MAX_VALUE, 7L * 24 * 3600 * 1000, 4096, 300_000);
  }
}
