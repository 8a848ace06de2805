package io.groupwarden.coordinator.config;

import io.groupwarden.common.env.CoordinatorEnv;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What one client, or all of them, can hold of the broker. */
public final class LimitOptions {
  @Option(
      names = "--connections-max-idle",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description =
          "close a Kafka connection with no traffic for this long (connections.max.idle.ms)")
  @EnvVar(CoordinatorEnv.CONNECTIONS_MAX_IDLE)
  private Duration connectionsMaxIdle;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "4096",
      description = "Kafka connections open at once over all listeners (max.connections)")
  @EnvVar(CoordinatorEnv.MAX_CONNECTIONS)
  private int maxConnections;

  @Option(
      names = "--max-connections-per-ip",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Kafka connections open at once from one address (max.connections.per.ip)")
  @EnvVar(CoordinatorEnv.MAX_CONNECTIONS_PER_IP)
  private int maxConnectionsPerIp;

  @Option(
      names = "--queued-max-request-bytes",
      paramLabel = "BYTES",
      defaultValue = "268435456",
      description =
          "bytes held by requests being read or handled; when reached, connections stop"
              + " reading until some are released (queued.max.request.bytes)")
  @EnvVar(CoordinatorEnv.QUEUED_MAX_REQUEST_BYTES)
  private long queuedMaxRequestBytes;

  @Option(
      names = "--max-topics",
      paramLabel = "N",
      defaultValue = "10000",
      description = "topics the broker holds at most; creating more fails with POLICY_VIOLATION")
  @EnvVar(CoordinatorEnv.MAX_TOPICS)
  private int maxTopics;

  @Option(
      names = "--max-partitions",
      paramLabel = "N",
      defaultValue = "20000",
      description = "partitions over all topics at most; creating more fails with POLICY_VIOLATION")
  @EnvVar(CoordinatorEnv.MAX_PARTITIONS)
  private int maxPartitions;

  @Option(
      names = "--topic-creation-rate",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "partitions created per second, with bursts of ten seconds' worth; more is"
              + " answered THROTTLING_QUOTA_EXCEEDED with a throttle time (KIP-599"
              + " controller_mutation_rate)")
  @EnvVar(CoordinatorEnv.TOPIC_CREATION_RATE)
  private int topicCreationRate;

  @Option(
      names = "--max-open-segment-files",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "log segment files kept open when idle; the least recently used is closed when another"
              + " opens; 0: a quarter of the process's file descriptor limit")
  @EnvVar(CoordinatorEnv.MAX_OPEN_SEGMENT_FILES)
  private int maxOpenSegmentFiles;

  public void check(Checks checks) {
    checks.positive("--connections-max-idle", connectionsMaxIdle);
    checks.atLeast("--max-connections", maxConnections, 1);
    checks.atLeast("--max-connections-per-ip", maxConnectionsPerIp, 1);
    checks.atLeast("--queued-max-request-bytes", queuedMaxRequestBytes, 1);
    checks.atLeast("--max-topics", maxTopics, 1);
    checks.atLeast("--max-partitions", maxPartitions, 1);
    checks.atLeast("--topic-creation-rate", topicCreationRate, 1);
    checks.atLeast("--max-open-segment-files", maxOpenSegmentFiles, 0);
  }

  public Duration connectionsMaxIdle() {
    return connectionsMaxIdle;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public int maxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  public long queuedMaxRequestBytes() {
    return queuedMaxRequestBytes;
  }

  public int maxTopics() {
    return maxTopics;
  }

  public int maxPartitions() {
    return maxPartitions;
  }

  public int topicCreationRate() {
    return topicCreationRate;
  }

  /** The bound on idle open segment files, resolved when the flag is 0. */
  public int maxOpenSegmentFiles() {
    return maxOpenSegmentFiles > 0 ? maxOpenSegmentFiles : defaultOpenSegmentFiles();
  }

  /**
   * A quarter of the descriptors the process may open (at least 16), leaving the rest to
   * connections, the group logs and the JVM; 1024 when the limit cannot be read.
   */
  static int defaultOpenSegmentFiles() {
    long limit = 4096;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      limit = unix.getMaxFileDescriptorCount();
    }
    return (int) Math.max(16, Math.min(Integer.MAX_VALUE, limit / 4));
  }
}
