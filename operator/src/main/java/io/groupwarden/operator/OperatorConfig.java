package io.groupwarden.operator;

import io.groupwarden.common.KubeDuration;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator's configuration, read from environment variables (documented in the README).
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param httpPort the port of health, readiness, metrics and the insight API
 * @param apiToken the bearer token the insight API requires; null disables the API
 * @param leaderElection whether replicas elect a leader through a Lease
 * @param leaseName the Lease's name
 * @param leaseNamespace the Lease's namespace (the operator's own)
 * @param identity this replica's identity in the election (the pod name)
 * @param kafkaTimeout how long one Kafka admin request may take
 * @param coordinatorImage the default image of managed coordinator brokers
 * @param sinkImage the default image of MongoSink workers
 * @param sinkResync how often a MongoSink is re-read (partitions, lag, worker count)
 * @param coordinatorAddress how the operator reaches a managed coordinator: a host:port template
 *     with {name} (the policy) and {namespace}; the client Service's DNS name by default
 * @param historyTopic the topic on each governed cluster that keeps the policies' history across
 *     restarts and leader changes; null keeps it in memory only
 * @param standbyRefresh how often a replica that does not lead re-reads the snapshots it serves
 * @param historySnapshotEvery how old a group's newest snapshot may get (each cycle writes the
 *     groups whose turn it is)
 * @param httpHost the address the HTTP server binds to; every interface by default, as a pod needs,
 *     127.0.0.1 for a run on a workstation
 * @param startupTimeout how long the start may take: each start-up check of the API server and the
 *     first sync of every watch; past it the operator exits
 */
public record OperatorConfig(
    List<String> watchNamespaces,
    int httpPort,
    String apiToken,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String identity,
    Duration kafkaTimeout,
    String coordinatorImage,
    String sinkImage,
    Duration sinkResync,
    String coordinatorAddress,
    String httpHost,
    Duration startupTimeout,
    String historyTopic,
    Duration standbyRefresh,
    Duration historySnapshotEvery) {

  public static final String DEFAULT_IMAGE_TAG = "0.1.0";
  public static final String DEFAULT_COORDINATOR_IMAGE =
      "ghcr.io/groupwarden/coordinator:" + DEFAULT_IMAGE_TAG;
  public static final String DEFAULT_SINK_IMAGE = "ghcr.io/groupwarden/sink:" + DEFAULT_IMAGE_TAG;
  public static final String DEFAULT_COORDINATOR_ADDRESS =
      "{name}-coordinator.{namespace}.svc:9093";
  public static final String DEFAULT_HISTORY_TOPIC = "groupwarden-history";

  public OperatorConfig {
    watchNamespaces = List.copyOf(watchNamespaces);
  }

  /** Reads the configuration; throws IllegalArgumentException naming the bad variable. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return new OperatorConfig(
        Arrays.stream(env.getOrDefault("GROUPWARDEN_WATCH_NAMESPACES", "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList(),
        integer(env, "GROUPWARDEN_HTTP_PORT", 8080),
        blankToNull(env.get("GROUPWARDEN_API_TOKEN")),
        bool(env, "GROUPWARDEN_LEADER_ELECTION", true),
        env.getOrDefault("GROUPWARDEN_LEASE_NAME", "groupwarden-operator"),
        firstPresent(env, "GROUPWARDEN_LEASE_NAMESPACE", "POD_NAMESPACE", "default"),
        firstPresent(env, "POD_NAME", "HOSTNAME", "groupwarden-operator"),
        duration(env, "GROUPWARDEN_KAFKA_TIMEOUT", Duration.ofSeconds(10)),
        env.getOrDefault("GROUPWARDEN_COORDINATOR_IMAGE", DEFAULT_COORDINATOR_IMAGE),
        env.getOrDefault("GROUPWARDEN_SINK_IMAGE", DEFAULT_SINK_IMAGE),
        duration(env, "GROUPWARDEN_SINK_RESYNC", Duration.ofSeconds(15)),
        env.getOrDefault("GROUPWARDEN_COORDINATOR_ADDRESS", DEFAULT_COORDINATOR_ADDRESS),
        env.getOrDefault("GROUPWARDEN_HTTP_HOST", "0.0.0.0").strip(),
        positive(
            duration(env, "GROUPWARDEN_STARTUP_TIMEOUT", Duration.ofSeconds(60)),
            "GROUPWARDEN_STARTUP_TIMEOUT"),
        historyTopic(env),
        duration(env, "GROUPWARDEN_STANDBY_REFRESH", Duration.ofSeconds(10)),
        duration(env, "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY", Duration.ofMinutes(2)));
  }

  /** The history topic: a Kafka topic name, or "none" (or empty) for memory only. */
  private static String historyTopic(Map<String, String> env) {
    String value = env.get("GROUPWARDEN_HISTORY_TOPIC");
    if (value == null) {
      return DEFAULT_HISTORY_TOPIC;
    }
    value = value.strip();
    if (value.isEmpty() || value.equals("none")) {
      return null;
    }
    if (!value.matches("[a-zA-Z0-9._-]{1,249}") || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(
          "GROUPWARDEN_HISTORY_TOPIC must be a Kafka topic name (letters, digits, '.', '_', '-')"
              + " or none, got '"
              + value
              + "'");
    }
    return value;
  }

  @Override
  public String toString() {
    return "OperatorConfig[watchNamespaces="
        + (watchNamespaces.isEmpty() ? "all" : watchNamespaces)
        + ", httpPort="
        + httpPort
        + ", apiToken="
        + (apiToken == null ? "none" : "set")
        + ", leaderElection="
        + leaderElection
        + ", lease="
        + leaseNamespace
        + "/"
        + leaseName
        + ", identity="
        + identity
        + ", kafkaTimeout="
        + kafkaTimeout
        + ", coordinatorImage="
        + coordinatorImage
        + ", sinkImage="
        + sinkImage
        + ", sinkResync="
        + sinkResync
        + ", coordinatorAddress="
        + coordinatorAddress
        + ", historyTopic="
        + (historyTopic == null ? "none" : historyTopic)
        + ", standbyRefresh="
        + standbyRefresh
        + ", historySnapshotEvery="
        + historySnapshotEvery
        + ", httpHost="
        + httpHost
        + ", startupTimeout="
        + startupTimeout
        + "]";
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    return setting(env, name, fallback, "an integer", Integer::parseInt);
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    return setting(env, name, fallback, "true or false", OperatorConfig::parseBoolean);
  }

  private static boolean parseBoolean(String value) {
    return switch (value.toLowerCase()) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(value);
    };
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    return setting(env, name, fallback, "a duration such as 10s", KubeDuration::parse);
  }

  /**
   * The variable {@code name} read by {@code parse}, or {@code fallback} when it is unset or blank.
   *
   * @param expected what the value must be, for the error
   */
  private static <T> T setting(
      Map<String, String> env,
      String name,
      T fallback,
      String expected,
      Function<String, T> parse) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return parse.apply(value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be " + expected + ", got '" + value + "'");
    }
  }

  private static Duration positive(Duration value, String name) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be longer than 0s, got " + value);
    }
    return value;
  }

  private static String firstPresent(
      Map<String, String> env, String first, String second, String fallback) {
    String value = blankToNull(env.get(first));
    if (value == null) {
      value = blankToNull(env.get(second));
    }
    return value == null ? fallback : value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
