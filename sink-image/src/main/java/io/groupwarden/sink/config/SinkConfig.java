package io.groupwarden.sink.config;

import com.mongodb.WriteConcern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the worker needs, read once from the environment at start-up (see the module README
 * for each variable). {@code toString} is safe to log: the credentials are {@link Secret}s.
 */
public record SinkConfig(
    Kafka kafka, Mongo mongo, Batch batch, OnStoreOutage onStoreOutage, int metricsPort) {

  /** Parses and validates the environment; every problem is named in the exception. */
  public static SinkConfig fromEnvironment(Map<String, String> environment) {
    return new SinkConfigParser(environment).parse();
  }

  /** {@code SINK_*} variables that the worker does not read: most likely typos. */
  public static List<String> unknownVariables(Map<String, String> environment) {
    return SinkConfigParser.unknownVariables(environment);
  }

  /**
   * @param instanceId the static member id ({@code group.instance.id}): the pod name, stable across
   *     restarts of the same StatefulSet ordinal
   * @param sessionTimeout how long the group keeps a silent static member's partitions for it
   * @param leaveGroupOnShutdown send LeaveGroup on SIGTERM (partitions move at once) instead of
   *     keeping them for a restart with the same instance id
   * @param outageLimit how long the worker goes on without an answer from Kafka before it exits
   */
  public record Kafka(
      String bootstrapServers,
      String topic,
      String groupId,
      String instanceId,
      String deadLetterTopic,
      Duration sessionTimeout,
      boolean leaveGroupOnShutdown,
      Duration outageLimit,
      KafkaSecurity security) {}

  /**
   * @param uri the connection string; it may hold a password, so it is never logged
   * @param writeConcern overrides the connection string's write concern when present
   */
  public record Mongo(
      Secret uri, String database, String collection, Optional<WriteConcern> writeConcern) {}

  /**
   * @param size documents per insertMany
   * @param commitEvery offsets are committed at the latest after this many resolved messages
   * @param maxRetries retries of a failed write before the batch is split (or dead-lettered)
   * @param retryBackoff the first retry's delay; each further retry doubles it
   * @param retryBackoffMax the ceiling of the doubling
   * @param linger how long a partly filled batch waits for more messages while they keep coming
   */
  public record Batch(
      int size,
      int commitEvery,
      int maxRetries,
      Duration retryBackoff,
      Duration retryBackoffMax,
      Duration linger) {}
}
