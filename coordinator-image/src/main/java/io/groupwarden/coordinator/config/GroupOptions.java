package io.groupwarden.coordinator.config;

import io.groupwarden.common.env.CoordinatorEnv;
import io.groupwarden.coordinator.group.GroupConfig;
import io.groupwarden.coordinator.group.assignor.Assignors;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The group coordinator's settings: session bounds, group size, offset retention, the consumer
 * protocol's timeouts and assignors, and how many shards the groups are spread over.
 */
public final class GroupOptions {
  @Option(
      names = "--group-min-session-timeout",
      paramLabel = "DURATION",
      defaultValue = "6s",
      description = "smallest session timeout a member may ask for")
  @EnvVar(CoordinatorEnv.GROUP_MIN_SESSION_TIMEOUT)
  private Duration minSessionTimeout;

  @Option(
      names = "--group-max-session-timeout",
      paramLabel = "DURATION",
      defaultValue = "30m",
      description = "largest session timeout a member may ask for")
  @EnvVar(CoordinatorEnv.GROUP_MAX_SESSION_TIMEOUT)
  private Duration maxSessionTimeout;

  @Option(
      names = "--group-initial-rebalance-delay",
      paramLabel = "DURATION",
      defaultValue = "3s",
      description = "how long the first rebalance of an empty group waits for more members")
  @EnvVar(CoordinatorEnv.GROUP_INITIAL_REBALANCE_DELAY)
  private Duration initialRebalanceDelay;

  @Option(
      names = "--group-max-size",
      paramLabel = "N",
      defaultValue = "2147483647",
      description = "most members a group may have")
  @EnvVar(CoordinatorEnv.GROUP_MAX_SIZE)
  private int maxSize;

  @Option(
      names = "--offsets-retention",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description = "how long committed offsets of an empty group are kept")
  @EnvVar(CoordinatorEnv.OFFSETS_RETENTION)
  private Duration offsetsRetention;

  @Option(
      names = "--offsets-retention-check-interval",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description = "how often expired offsets are removed")
  @EnvVar(CoordinatorEnv.OFFSETS_RETENTION_CHECK_INTERVAL)
  private Duration offsetsRetentionCheckInterval;

  @Option(
      names = "--group-shards",
      paramLabel = "N",
      defaultValue = "0",
      description = "single-threaded executors the groups are spread over; 0: number of processors")
  @EnvVar(CoordinatorEnv.GROUP_SHARDS)
  private int shards;

  @Option(
      names = "--offset-metadata-max-bytes",
      paramLabel = "BYTES",
      defaultValue = "4096",
      description = "largest metadata string of a committed offset")
  @EnvVar(CoordinatorEnv.OFFSET_METADATA_MAX_BYTES)
  private int offsetMetadataMaxBytes;

  @Option(
      names = "--group-consumer-session-timeout",
      paramLabel = "DURATION",
      defaultValue = "45s",
      description = "consumer-protocol members that do not heartbeat for this long are removed")
  @EnvVar(CoordinatorEnv.GROUP_CONSUMER_SESSION_TIMEOUT)
  private Duration consumerSessionTimeout;

  @Option(
      names = "--group-consumer-heartbeat-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "how often consumer-protocol members heartbeat")
  @EnvVar(CoordinatorEnv.GROUP_CONSUMER_HEARTBEAT_INTERVAL)
  private Duration consumerHeartbeatInterval;

  @Option(
      names = "--group-consumer-assignors",
      paramLabel = "NAMES",
      defaultValue = "uniform,range",
      description =
          "server-side assignors (names or ConsumerGroupPartitionAssignor classes); the first is"
              + " the default")
  @EnvVar(CoordinatorEnv.GROUP_CONSUMER_ASSIGNORS)
  private String consumerAssignors;

  /** The assignors {@link #check} parsed from {@code --group-consumer-assignors}. */
  private Assignors assignors;

  /** Range checks picocli's type conversion does not make, and the derived default of shards. */
  public void check(Checks checks) {
    checks.atLeast("--group-max-size", maxSize, 1);
    checks.atLeast("--group-shards", shards, 0);
    checks.atLeast("--offset-metadata-max-bytes", offsetMetadataMaxBytes, 1);
    checks.positive("--group-consumer-session-timeout", consumerSessionTimeout);
    checks.positive("--group-consumer-heartbeat-interval", consumerHeartbeatInterval);
    if (consumerHeartbeatInterval.compareTo(consumerSessionTimeout) >= 0) {
      throw checks.fail(
          "--group-consumer-heartbeat-interval",
          consumerHeartbeatInterval,
          "must be below --group-consumer-session-timeout (" + consumerSessionTimeout + ")");
    }
    try {
      assignors = Assignors.parse(List.of(consumerAssignors.split(",")));
    } catch (IllegalArgumentException e) {
      throw checks.fail("--group-consumer-assignors", consumerAssignors, e.getMessage());
    }
    checks.positive("--offsets-retention-check-interval", offsetsRetentionCheckInterval);
    if (minSessionTimeout.compareTo(maxSessionTimeout) > 0) {
      throw checks.fail(
          "--group-min-session-timeout",
          minSessionTimeout,
          "must not be above --group-max-session-timeout (" + maxSessionTimeout + ")");
    }
    if (shards == 0) {
      shards = Runtime.getRuntime().availableProcessors();
    }
  }

  /** What the group coordinator is configured with. */
  public GroupConfig toConfig() {
    return GroupConfig.builder()
        .minSessionTimeoutMs((int) minSessionTimeout.toMillis())
        .maxSessionTimeoutMs((int) maxSessionTimeout.toMillis())
        .initialRebalanceDelayMs((int) initialRebalanceDelay.toMillis())
        .maxSize(maxSize)
        .offsetsRetentionMs(offsetsRetention.toMillis())
        .offsetMetadataMaxBytes(offsetMetadataMaxBytes)
        .consumerSessionTimeoutMs((int) consumerSessionTimeout.toMillis())
        .consumerHeartbeatIntervalMs((int) consumerHeartbeatInterval.toMillis())
        .assignors(assignors)
        .build();
  }

  public Duration minSessionTimeout() {
    return minSessionTimeout;
  }

  public Duration maxSessionTimeout() {
    return maxSessionTimeout;
  }

  public Duration initialRebalanceDelay() {
    return initialRebalanceDelay;
  }

  public int maxSize() {
    return maxSize;
  }

  public Duration offsetsRetention() {
    return offsetsRetention;
  }

  public Duration offsetsRetentionCheckInterval() {
    return offsetsRetentionCheckInterval;
  }

  /** The shards the groups are spread over (the number of processors when given as 0). */
  public int shards() {
    return shards;
  }
}
