package io.groupwarden.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the broker can be told at start-up. Each setting is a command-line flag ({@code --port
 * 9092}) and an environment variable ({@code COORDINATOR_PORT=9092}); a flag wins over the
 * variable, the variable over the default.
 */
public record CoordinatorConfig(
    String host,
    int port,
    int httpPort,
    Path dataDir,
    String advertisedHost,
    int advertisedPort,
    int nodeId,
    int defaultPartitions,
    boolean autoCreateTopics,
    Duration groupMinSessionTimeout,
    Duration groupMaxSessionTimeout,
    Duration groupInitialRebalanceDelay,
    int groupMaxSize,
    Duration offsetsRetention,
    Duration offsetsRetentionCheckInterval,
    int groupShards,
    Duration logRetention,
    long logRetentionBytes,
    int logSegmentBytes,
    Duration logRetentionCheckInterval,
    int maxMessageBytes,
    int maxRequestBytes,
    int offsetMetadataMaxBytes,
    Duration groupConsumerSessionTimeout,
    Duration groupConsumerHeartbeatInterval,
    String groupConsumerAssignors) {

  /** One setting: its flag name (without dashes), its default and what it means. */
  public record Option(String name, String defaultValue, String description) {
    public String flag() {
      return "--" + name;
    }

    public String envVar() {
      return "COORDINATOR_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
  }

  /** The settings in the order the README documents them. */
  public static final List<Option> OPTIONS =
      List.of(
          new Option("host", "0.0.0.0", "address the Kafka and HTTP listeners bind to"),
          new Option("port", "9092", "Kafka protocol port"),
          new Option(
              "http-port", "8080", "HTTP port (health, metrics, consumer groups, consume API)"),
          new Option("data-dir", "./data", "directory of partition logs and group state"),
          new Option(
              "advertised-host",
              "",
              "host name clients are told to connect to; default: the machine's host name"),
          new Option("advertised-port", "0", "port clients are told to connect to; 0: --port"),
          new Option("node-id", "1", "broker id reported in metadata"),
          new Option("default-partitions", "1", "partitions of auto-created topics"),
          new Option(
              "auto-create-topics",
              "true",
              "create unknown topics on metadata requests (Kafka's auto.create.topics.enable)"),
          new Option(
              "group-min-session-timeout", "6s", "smallest session timeout a member may ask for"),
          new Option(
              "group-max-session-timeout", "30m", "largest session timeout a member may ask for"),
          new Option(
              "group-initial-rebalance-delay",
              "3s",
              "how long the first rebalance of an empty group waits for more members"),
          new Option("group-max-size", "2147483647", "most members a group may have"),
          new Option(
              "offsets-retention", "7d", "how long committed offsets of an empty group are kept"),
          new Option(
              "offsets-retention-check-interval", "10m", "how often expired offsets are removed"),
          new Option(
              "group-shards",
              "0",
              "single-threaded executors the groups are spread over; 0: number of processors"),
          new Option("log-retention", "7d", "default time a record is kept (retention.ms)"),
          new Option(
              "log-retention-bytes", "-1", "default size a partition is cut to; -1: no limit"),
          new Option("log-segment-bytes", "134217728", "size at which a log segment is rolled"),
          new Option(
              "log-retention-check-interval", "5m", "how often retention deletes old segments"),
          new Option("max-message-bytes", "1048588", "largest record batch a producer may send"),
          new Option("max-request-bytes", "104857600", "largest request frame; larger closes"),
          new Option(
              "offset-metadata-max-bytes", "4096", "largest metadata string of a committed offset"),
          new Option(
              "group-consumer-session-timeout",
              "45s",
              "consumer-protocol members that do not heartbeat for this long are removed"),
          new Option(
              "group-consumer-heartbeat-interval",
              "5s",
              "how often consumer-protocol members heartbeat"),
          new Option(
              "group-consumer-assignors",
              "uniform,range",
              "server-side assignors (names or ConsumerGroupPartitionAssignor classes); first is"
                  + " the default"));

  /** Reads the flags, falling back to the environment and then to the defaults. */
  public static CoordinatorConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option option : OPTIONS) {
      values.put(option.name(), env.getOrDefault(option.envVar(), option.defaultValue()));
    }
    List<String> rest = new ArrayList<>(List.of(args));
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < rest.size()) {
        value = rest.get(++i);
      } else {
        throw new IllegalArgumentException("flag --" + name + " needs a value");
      }
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      values.put(name, value);
    }
    return fromValues(values);
  }

  public static CoordinatorConfig defaults() {
    return parse(new String[0], Map.of());
  }

  private static CoordinatorConfig fromValues(Map<String, String> v) {
    Reader r = new Reader(v);
    int port = r.get("port", CoordinatorConfig::port);
    int advertisedPort = r.get("advertised-port", CoordinatorConfig::nonNegative);
    String advertisedHost = v.get("advertised-host");
    if (advertisedHost.isBlank()) {
      advertisedHost = localHostName();
    }
    int shards = r.get("group-shards", CoordinatorConfig::nonNegative);
    CoordinatorConfig config =
        new CoordinatorConfig(
            v.get("host"),
            port,
            r.get("http-port", CoordinatorConfig::port),
            Path.of(v.get("data-dir")),
            advertisedHost,
            advertisedPort == 0 ? port : advertisedPort,
            r.get("node-id", CoordinatorConfig::nonNegative),
            r.get("default-partitions", CoordinatorConfig::positive),
            r.get("auto-create-topics", CoordinatorConfig::bool),
            r.get("group-min-session-timeout", DurationText::parse),
            r.get("group-max-session-timeout", DurationText::parse),
            r.get("group-initial-rebalance-delay", DurationText::parse),
            r.get("group-max-size", CoordinatorConfig::positive),
            r.get("offsets-retention", DurationText::parse),
            r.get("offsets-retention-check-interval", DurationText::parse),
            shards == 0 ? Runtime.getRuntime().availableProcessors() : shards,
            r.get("log-retention", DurationText::parse),
            r.get("log-retention-bytes", Long::parseLong),
            r.get("log-segment-bytes", CoordinatorConfig::positive),
            r.get("log-retention-check-interval", DurationText::parse),
            r.get("max-message-bytes", CoordinatorConfig::positive),
            r.get("max-request-bytes", CoordinatorConfig::positive),
            r.get("offset-metadata-max-bytes", CoordinatorConfig::positive),
            r.get("group-consumer-session-timeout", DurationText::parse),
            r.get("group-consumer-heartbeat-interval", DurationText::parse),
            r.get("group-consumer-assignors", CoordinatorConfig::assignors));
    if (config.groupMinSessionTimeout.compareTo(config.groupMaxSessionTimeout) > 0) {
      throw new IllegalArgumentException(
          "--group-min-session-timeout must not be above --group-max-session-timeout");
    }
    if (config.groupConsumerHeartbeatInterval.compareTo(config.groupConsumerSessionTimeout) >= 0) {
      throw new IllegalArgumentException(
          "--group-consumer-heartbeat-interval must be below --group-consumer-session-timeout");
    }
    return config;
  }

  /** A copy with another port, HTTP port and data directory; used by tests and benchmarks. */
  public CoordinatorConfig withListeners(int port, int httpPort, Path dataDir) {
    return new CoordinatorConfig(
        "127.0.0.1",
        port,
        httpPort,
        dataDir,
        "127.0.0.1",
        port,
        nodeId,
        defaultPartitions,
        autoCreateTopics,
        groupMinSessionTimeout,
        groupMaxSessionTimeout,
        groupInitialRebalanceDelay,
        groupMaxSize,
        offsetsRetention,
        offsetsRetentionCheckInterval,
        groupShards,
        logRetention,
        logRetentionBytes,
        logSegmentBytes,
        logRetentionCheckInterval,
        maxMessageBytes,
        maxRequestBytes,
        offsetMetadataMaxBytes,
        groupConsumerSessionTimeout,
        groupConsumerHeartbeatInterval,
        groupConsumerAssignors);
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  private static int port(String text) {
    int port = Integer.parseInt(text.trim());
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + text);
    }
    return port;
  }

  private static int positive(String text) {
    int value = Integer.parseInt(text.trim());
    if (value <= 0) {
      throw new IllegalArgumentException("must be positive: " + text);
    }
    return value;
  }

  private static int nonNegative(String text) {
    int value = Integer.parseInt(text.trim());
    if (value < 0) {
      throw new IllegalArgumentException("must not be negative: " + text);
    }
    return value;
  }

  private static String assignors(String text) {
    io.groupwarden.coordinator.group.assignor.Assignors.parse(List.of(text.split(",")));
    return text;
  }

  private static boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + text);
    };
  }

  /** Converts one value, naming the flag and its variable when the value is bad. */
  private record Reader(Map<String, String> values) {
    <T> T get(String name, Function<String, T> convert) {
      String text = values.get(name);
      try {
        return convert.apply(text);
      } catch (RuntimeException e) {
        Option option = OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst().get();
        throw new IllegalArgumentException(
            "bad value '"
                + text
                + "' for "
                + option.flag()
                + " / "
                + option.envVar()
                + ": "
                + e.getMessage(),
            e);
      }
    }
  }
}
