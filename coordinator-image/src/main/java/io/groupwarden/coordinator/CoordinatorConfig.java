package io.groupwarden.coordinator;

import io.groupwarden.common.env.CoordinatorEnv;
import io.groupwarden.coordinator.config.Checks;
import io.groupwarden.coordinator.config.CommandLineSupport;
import io.groupwarden.coordinator.config.EnvVar;
import io.groupwarden.coordinator.config.GroupOptions;
import io.groupwarden.coordinator.config.LimitOptions;
import io.groupwarden.coordinator.config.Security;
import io.groupwarden.coordinator.config.SecurityOptions;
import io.groupwarden.coordinator.config.TransactionOptions;
import io.groupwarden.coordinator.net.Listener;
import io.groupwarden.coordinator.txn.TransactionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Everything the broker can be told at start-up. Each setting is a command-line flag ({@code --port
 * 9092}) and an environment variable ({@code COORDINATOR_PORT=9092}, named by {@link
 * CoordinatorEnv}); a flag wins over the variable, the variable over the default. Durations are
 * read with the project's one grammar ({@code 500ms}, {@code 30s}, {@code 1h30m}, {@code 7d}).
 */
@Command(
    name = "coordinator",
    sortOptions = false,
    showDefaultValues = true,
    usageHelpWidth = 110,
    description = "A single-node broker that speaks the Kafka protocol, built for consumer groups.")
public final class CoordinatorConfig {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  private boolean help;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "address the --port listener and the HTTP port bind to; 0.0.0.0: all")
  @EnvVar(CoordinatorEnv.HOST)
  private String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "Kafka protocol port (one PLAINTEXT listener on --host)")
  @EnvVar(CoordinatorEnv.PORT)
  private int port;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "HTTP port (health, metrics, consumer groups, consume API)")
  @EnvVar(CoordinatorEnv.HTTP_PORT)
  private int httpPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./data",
      description = "directory of partition logs and group state")
  @EnvVar(CoordinatorEnv.DATA_DIR)
  private Path dataDir;

  @Option(
      names = "--advertised-host",
      paramLabel = "HOST",
      description = "host name clients are told to connect to; default: the machine's host name")
  @EnvVar(CoordinatorEnv.ADVERTISED_HOST)
  private String advertisedHost;

  @Option(
      names = "--advertised-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "port clients are told to connect to; 0: --port")
  @EnvVar(CoordinatorEnv.ADVERTISED_PORT)
  private int advertisedPort;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      defaultValue = "1",
      description = "broker id reported in metadata")
  @EnvVar(CoordinatorEnv.NODE_ID)
  private int nodeId;

  @Option(
      names = "--default-partitions",
      paramLabel = "N",
      defaultValue = "1",
      description = "partitions of auto-created topics (Kafka's num.partitions)")
  @EnvVar(CoordinatorEnv.DEFAULT_PARTITIONS)
  private int defaultPartitions;

  @Option(
      names = "--auto-create-topics",
      paramLabel = "true|false",
      arity = "1",
      defaultValue = "true",
      description =
          "create unknown topics on metadata requests (Kafka's auto.create.topics.enable)")
  @EnvVar(CoordinatorEnv.AUTO_CREATE_TOPICS)
  private boolean autoCreateTopics;

  @Option(
      names = "--log-retention",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description = "default time a record is kept (retention.ms)")
  @EnvVar(CoordinatorEnv.LOG_RETENTION)
  private Duration logRetention;

  @Option(
      names = "--log-retention-bytes",
      paramLabel = "BYTES",
      defaultValue = "-1",
      description = "default size a partition is cut to; -1: no limit")
  @EnvVar(CoordinatorEnv.LOG_RETENTION_BYTES)
  private long logRetentionBytes;

  @Option(
      names = "--log-segment-bytes",
      paramLabel = "BYTES",
      defaultValue = "134217728",
      description = "size at which a log segment is rolled")
  @EnvVar(CoordinatorEnv.LOG_SEGMENT_BYTES)
  private int logSegmentBytes;

  @Option(
      names = "--log-retention-check-interval",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description = "how often retention deletes old segments")
  @EnvVar(CoordinatorEnv.LOG_RETENTION_CHECK_INTERVAL)
  private Duration logRetentionCheckInterval;

  @Option(
      names = "--log-cleaner-backoff",
      paramLabel = "DURATION",
      defaultValue = "15s",
      description =
          "how often the log cleaner looks for compacted topics to clean (log.cleaner.backoff.ms)")
  @EnvVar(CoordinatorEnv.LOG_CLEANER_BACKOFF)
  private Duration logCleanerBackoff;

  @Option(
      names = "--producer-id-expiration",
      paramLabel = "DURATION",
      defaultValue = "1d",
      description =
          "how long a partition keeps the state of a producer that has stopped writing to it and"
              + " has no open transaction (producer.id.expiration.ms)")
  @EnvVar(CoordinatorEnv.PRODUCER_ID_EXPIRATION)
  private Duration producerIdExpiration;

  @Option(
      names = "--producer-id-expiration-check-interval",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description =
          "how often expired producers are removed (producer.id.expiration.check.interval.ms)")
  @EnvVar(CoordinatorEnv.PRODUCER_ID_EXPIRATION_CHECK_INTERVAL)
  private Duration producerIdExpirationCheckInterval;

  @Option(
      names = "--max-message-bytes",
      paramLabel = "BYTES",
      defaultValue = "1048588",
      description = "largest record batch a producer may send (message.max.bytes)")
  @EnvVar(CoordinatorEnv.MAX_MESSAGE_BYTES)
  private int maxMessageBytes;

  @Option(
      names = "--max-request-bytes",
      paramLabel = "BYTES",
      defaultValue = "104857600",
      description =
          "largest request frame; larger closes the connection (socket.request.max.bytes)")
  @EnvVar(CoordinatorEnv.MAX_REQUEST_BYTES)
  private int maxRequestBytes;

  @Option(
      names = "--http-consume-instances",
      paramLabel = "N",
      defaultValue = "16",
      description = "most consumers POST /consume keeps open at once (one per group and topic)")
  @EnvVar(CoordinatorEnv.HTTP_CONSUME_INSTANCES)
  private int httpConsumeInstances;

  @Option(
      names = "--http-consume-idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "1m",
      description =
          "how long a POST /consume consumer stays open unused before it leaves its group")
  @EnvVar(CoordinatorEnv.HTTP_CONSUME_IDLE_TIMEOUT)
  private Duration httpConsumeIdleTimeout;

  @Mixin private GroupOptions groups = new GroupOptions();

  @Mixin private SecurityOptions security = new SecurityOptions();

  @Mixin private LimitOptions limits = new LimitOptions();

  @Mixin private TransactionOptions transactions = new TransactionOptions();

  private List<Listener> listeners;
  private Map<SecurityProtocol, Listener> advertised;
  private Security resolvedSecurity;

  private CoordinatorConfig() {}

  /** Reads the flags, falling back to the environment and then to the defaults. */
  public static CoordinatorConfig parse(String[] args, Map<String, String> env) {
    CoordinatorConfig config = new CoordinatorConfig();
    CommandLine line = CommandLineSupport.commandLine(config, env);
    CommandLineSupport.parse(line, args, env);
    config.check(line, env);
    return config;
  }

  public static CoordinatorConfig defaults() {
    return parse(new String[0], Map.of());
  }

  /** The help text: every flag with its default, then the environment variables. */
  public static String usage(Map<String, String> env) {
    return CommandLineSupport.commandLine(new CoordinatorConfig(), env).getUsageMessage();
  }

  /** True when {@code --help} was asked for; the broker then prints {@link #usage} and exits. */
  public boolean helpRequested() {
    return help;
  }

  /** Range checks picocli's type conversion does not make, and the derived defaults. */
  private void check(CommandLine line, Map<String, String> env) {
    Checks checks = new Checks(line, env);
    checks.port("--port", port);
    checks.port("--http-port", httpPort);
    checks.port("--advertised-port", advertisedPort);
    checks.atLeast("--node-id", nodeId, 0);
    checks.atLeast("--default-partitions", defaultPartitions, 1);
    checks.atLeast("--log-retention-bytes", logRetentionBytes, -1);
    checks.atLeast("--log-segment-bytes", logSegmentBytes, 1);
    checks.atLeast("--max-message-bytes", maxMessageBytes, 1);
    checks.atLeast("--max-request-bytes", maxRequestBytes, 1);
    checks.atLeast("--http-consume-instances", httpConsumeInstances, 1);
    checks.positive("--http-consume-idle-timeout", httpConsumeIdleTimeout);
    checks.positive("--log-retention-check-interval", logRetentionCheckInterval);
    checks.positive("--log-cleaner-backoff", logCleanerBackoff);
    checks.positive("--producer-id-expiration", producerIdExpiration);
    checks.positive("--producer-id-expiration-check-interval", producerIdExpirationCheckInterval);
    if (advertisedHost == null || advertisedHost.isBlank()) {
      advertisedHost = localHostName();
    }
    listeners = checks.listeners("--listeners", security.listeners());
    if (listeners == null) {
      listeners = List.of(new Listener(SecurityProtocol.PLAINTEXT, host, port));
    }
    advertised = new java.util.EnumMap<>(SecurityProtocol.class);
    List<Listener> announced =
        checks.listeners("--advertised-listeners", security.advertisedListeners());
    for (Listener listener : announced == null ? List.<Listener>of() : announced) {
      if (listeners.stream().noneMatch(l -> l.protocol() == listener.protocol())) {
        throw checks.fail(
            "--advertised-listeners", listener, "must name only listeners of --listeners");
      }
      advertised.put(listener.protocol(), listener);
    }
    resolvedSecurity = Security.check(security, listeners, checks);
    groups.check(checks);
    limits.check(checks);
    transactions.check(checks);
    if (advertisedPort == 0) {
      advertisedPort = port;
    }
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  public String host() {
    return host;
  }

  /** The Kafka listeners, in the order given; the first is the one {@link #port} reports. */
  public List<Listener> listeners() {
    return listeners;
  }

  /**
   * The address clients of {@code listener} are told to use. Port 0 means the port the listener was
   * bound to, known only once it is.
   */
  public Listener advertised(Listener listener) {
    Listener given = advertised.get(listener.protocol());
    if (given != null) {
      return given;
    }
    boolean shorthand = security.listeners() == null || security.listeners().isBlank();
    return new Listener(listener.protocol(), advertisedHost, shorthand ? advertisedPort : 0);
  }

  /** Sessions, group size, offset retention, the consumer protocol and the group shards. */
  public GroupOptions groups() {
    return groups;
  }

  public TransactionConfig transactions() {
    return transactions.toConfig();
  }

  /** Bounds on connections, request memory and topics. */
  public LimitOptions limits() {
    return limits;
  }

  /** TLS, SASL and HTTP protection, checked for consistency with the listeners. */
  public Security security() {
    return resolvedSecurity;
  }

  public int port() {
    return port;
  }

  public int httpPort() {
    return httpPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String advertisedHost() {
    return advertisedHost;
  }

  public int advertisedPort() {
    return advertisedPort;
  }

  public int nodeId() {
    return nodeId;
  }

  public int defaultPartitions() {
    return defaultPartitions;
  }

  public boolean autoCreateTopics() {
    return autoCreateTopics;
  }

  public Duration logRetention() {
    return logRetention;
  }

  public long logRetentionBytes() {
    return logRetentionBytes;
  }

  public int logSegmentBytes() {
    return logSegmentBytes;
  }

  public Duration logRetentionCheckInterval() {
    return logRetentionCheckInterval;
  }

  public Duration logCleanerBackoff() {
    return logCleanerBackoff;
  }

  public Duration producerIdExpiration() {
    return producerIdExpiration;
  }

  public Duration producerIdExpirationCheckInterval() {
    return producerIdExpirationCheckInterval;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public int httpConsumeInstances() {
    return httpConsumeInstances;
  }

  public Duration httpConsumeIdleTimeout() {
    return httpConsumeIdleTimeout;
  }
}
