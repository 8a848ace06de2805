package io.groupwarden.sink.config;

import static io.groupwarden.common.env.SinkEnv.*;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import io.groupwarden.common.KubeDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@link SinkConfig} from environment variables. It collects every problem before failing, so
 * one start-up shows all that is wrong, and it never puts a credential into a message.
 */
final class SinkConfigParser {

  /** Set by Kubernetes to the pod name; the default instance id. */
  static final String HOSTNAME = "HOSTNAME";

  private static final Set<String> KNOWN =
      Set.of(
          BOOTSTRAP_SERVERS,
          TOPIC,
          GROUP_ID,
          INSTANCE_ID,
          DEAD_LETTER_TOPIC,
          KAFKA_SESSION_TIMEOUT,
          LEAVE_GROUP_ON_SHUTDOWN,
          KAFKA_OUTAGE_LIMIT,
          KAFKA_SECURITY_PROTOCOL,
          KAFKA_SASL_MECHANISM,
          KAFKA_SASL_USERNAME,
          KAFKA_SASL_PASSWORD,
          KAFKA_SSL_TRUSTSTORE_LOCATION,
          KAFKA_SSL_TRUSTSTORE_TYPE,
          KAFKA_SSL_TRUSTSTORE_PASSWORD,
          MONGODB_URI,
          MONGODB_DATABASE,
          MONGODB_COLLECTION,
          WRITE_CONCERN,
          BATCH_SIZE,
          COMMIT_EVERY,
          MAX_RETRIES,
          RETRY_BACKOFF,
          RETRY_BACKOFF_MAX,
          BATCH_LINGER,
          ON_STORE_OUTAGE,
          METRICS_PORT);

  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> SECURITY_PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> SASL_MECHANISMS =
      Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  SinkConfigParser(Map<String, String> env) {
    this.env = env;
  }

  static List<String> unknownVariables(Map<String, String> env) {
    return env.keySet().stream()
        .filter(name -> name.startsWith("SINK_") && !KNOWN.contains(name))
        .sorted()
        .toList();
  }

  SinkConfig parse() {
    SinkConfig.Kafka kafka = kafka();
    SinkConfig.Mongo mongo = mongo();
    SinkConfig.Batch batch = batch();
    OnStoreOutage onStoreOutage =
        optional(ON_STORE_OUTAGE)
            .map(
                text ->
                    OnStoreOutage.parse(text)
                        .orElseGet(
                            () -> {
                              problems.add(
                                  ON_STORE_OUTAGE
                                      + " must be 'pause' or 'dead-letter', not '"
                                      + text
                                      + "'");
                              return OnStoreOutage.PAUSE;
                            }))
            .orElse(OnStoreOutage.PAUSE);
    int metricsPort = integer(METRICS_PORT, 8001, 1, 65535);
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return new SinkConfig(kafka, mongo, batch, onStoreOutage, metricsPort);
  }

  private SinkConfig.Kafka kafka() {
    String bootstrap = required(BOOTSTRAP_SERVERS);
    String topic = topicName(TOPIC, required(TOPIC));
    String groupId = required(GROUP_ID);
    String instanceId =
        optional(INSTANCE_ID)
            .or(() -> optional(HOSTNAME))
            .orElseGet(
                () -> {
                  problems.add(
                      INSTANCE_ID
                          + " is not set and neither is HOSTNAME: the worker needs a stable"
                          + " group.instance.id (the pod name)");
                  return null;
                });
    String deadLetterTopic =
        optional(DEAD_LETTER_TOPIC)
            .map(name -> topicName(DEAD_LETTER_TOPIC, name))
            .orElse(topic == null ? null : topic + ".dlq");
    if (topic != null && topic.equals(deadLetterTopic)) {
      problems.add(
          DEAD_LETTER_TOPIC + " must differ from " + TOPIC + " ('" + topic + "'): it would loop");
    }
    Duration sessionTimeout = duration(KAFKA_SESSION_TIMEOUT, Duration.ofSeconds(45));
    boolean leaveGroup = bool(LEAVE_GROUP_ON_SHUTDOWN, false);
    Duration outageLimit = duration(KAFKA_OUTAGE_LIMIT, Duration.ofMinutes(5));
    if (outageLimit != null && outageLimit.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add(KAFKA_OUTAGE_LIMIT + " must be at least 1s");
    }
    return new SinkConfig.Kafka(
        bootstrap,
        topic,
        groupId,
        instanceId,
        deadLetterTopic,
        sessionTimeout,
        leaveGroup,
        outageLimit,
        security());
  }

  private KafkaSecurity security() {
    String protocol =
        optional(KAFKA_SECURITY_PROTOCOL).orElse("PLAINTEXT").toUpperCase(Locale.ROOT);
    if (!SECURITY_PROTOCOLS.contains(protocol)) {
      problems.add(
          KAFKA_SECURITY_PROTOCOL
              + " must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, not '"
              + protocol
              + "'");
    }
    Optional<String> mechanism =
        optional(KAFKA_SASL_MECHANISM).map(m -> m.toUpperCase(Locale.ROOT));
    Optional<String> username = optional(KAFKA_SASL_USERNAME);
    Optional<Secret> password = optional(KAFKA_SASL_PASSWORD).map(Secret::new);
    boolean sasl = protocol.startsWith("SASL_");
    if (sasl) {
      if (mechanism.isEmpty()) {
        problems.add(
            KAFKA_SASL_MECHANISM + " is required with " + KAFKA_SECURITY_PROTOCOL + "=" + protocol);
      } else if (!SASL_MECHANISMS.contains(mechanism.get())) {
        problems.add(
            KAFKA_SASL_MECHANISM
                + " must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '"
                + mechanism.get()
                + "'");
      }
      if (username.isEmpty() || password.isEmpty()) {
        problems.add(
            KAFKA_SASL_USERNAME
                + " and "
                + KAFKA_SASL_PASSWORD
                + " are required with "
                + KAFKA_SECURITY_PROTOCOL
                + "="
                + protocol);
      }
    } else if (mechanism.isPresent() || username.isPresent() || password.isPresent()) {
      problems.add(
          "SASL settings are given but "
              + KAFKA_SECURITY_PROTOCOL
              + " is "
              + protocol
              + ": use SASL_SSL or SASL_PLAINTEXT");
    }
    return new KafkaSecurity(
        protocol,
        mechanism,
        username,
        password,
        optional(KAFKA_SSL_TRUSTSTORE_LOCATION),
        optional(KAFKA_SSL_TRUSTSTORE_TYPE),
        optional(KAFKA_SSL_TRUSTSTORE_PASSWORD).map(Secret::new));
  }

  private SinkConfig.Mongo mongo() {
    Optional<String> uri = optional(MONGODB_URI);
    if (uri.isEmpty()) {
      problems.add(MONGODB_URI + " is required (in Kubernetes: from the MongoSink's Secret)");
    }
    ConnectionString connection = uri.map(this::connectionString).orElse(null);
    String database =
        optional(MONGODB_DATABASE)
            .or(() -> Optional.ofNullable(connection).map(ConnectionString::getDatabase))
            .orElse(null);
    if (database == null && connection != null) {
      problems.add(MONGODB_DATABASE + " is required (the connection string names no database)");
    } else if (database != null && !validDatabaseName(database)) {
      problems.add(MONGODB_DATABASE + " '" + database + "' is not a valid database name");
    }
    String collection = required(MONGODB_COLLECTION);
    if (collection != null && !validCollectionName(collection)) {
      problems.add(
          MONGODB_COLLECTION
              + " '"
              + collection
              + "' is not a valid collection name (no '$', not 'system.*')");
    }
    Optional<WriteConcern> writeConcern = optional(WRITE_CONCERN).map(this::writeConcern);
    return new SinkConfig.Mongo(
        uri.map(Secret::new).orElse(null), database, collection, writeConcern);
  }

  private ConnectionString connectionString(String uri) {
    try {
      return new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      // The driver's message may quote parts of the string, password included: leave it out.
      problems.add(
          MONGODB_URI
              + " is not a valid MongoDB connection string"
              + " (mongodb://[user:password@]host[:port][/database][?options]"
              + " or mongodb+srv://...)");
      return null;
    }
  }

  private WriteConcern writeConcern(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "majority":
        return WriteConcern.MAJORITY;
      case "acknowledged":
      case "w1":
        return WriteConcern.W1;
      case "journaled":
        return WriteConcern.JOURNALED;
      case "0":
      case "w0":
      case "unacknowledged":
        problems.add(
            WRITE_CONCERN
                + " must acknowledge writes: with w=0 the worker cannot know what was stored");
        return null;
      default:
        String digits = value.startsWith("w") ? value.substring(1) : value;
        if (digits.matches("\\d{1,2}")) {
          return new WriteConcern(Integer.parseInt(digits));
        }
        problems.add(
            WRITE_CONCERN
                + " must be 'majority', 'acknowledged', 'journaled' or a number of nodes, not '"
                + text
                + "'");
        return null;
    }
  }

  private SinkConfig.Batch batch() {
    int size = integer(BATCH_SIZE, 100, 1, 100_000);
    int commitEvery = integer(COMMIT_EVERY, 1000, 1, Integer.MAX_VALUE);
    int maxRetries = integer(MAX_RETRIES, 3, 0, 1000);
    Duration backoff = duration(RETRY_BACKOFF, Duration.ofSeconds(1));
    // Unset, the ceiling is 30s or the first delay when that is longer: a MongoSink only sets
    // retryBackoff, and any value its schema accepts must start a worker.
    Duration defaultMax =
        backoff != null && backoff.compareTo(Duration.ofSeconds(30)) > 0
            ? backoff
            : Duration.ofSeconds(30);
    Duration backoffMax = duration(RETRY_BACKOFF_MAX, defaultMax);
    Duration linger = duration(BATCH_LINGER, Duration.ofMillis(100));
    if (backoff != null && backoff.isZero()) {
      problems.add(RETRY_BACKOFF + " must be more than 0");
    }
    if (backoff != null && backoffMax != null && backoffMax.compareTo(backoff) < 0) {
      problems.add(RETRY_BACKOFF_MAX + " must not be below " + RETRY_BACKOFF);
    }
    return new SinkConfig.Batch(size, commitEvery, maxRetries, backoff, backoffMax, linger);
  }

  private String required(String name) {
    return optional(name)
        .orElseGet(
            () -> {
              problems.add(name + " is required");
              return null;
            });
  }

  /** A variable's trimmed value; unset and blank both count as absent. */
  private Optional<String> optional(String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private int integer(String name, int fallback, int min, int max) {
    return parsed(
        name,
        t -> {
          int value = Integer.parseInt(t);
          return value >= min && value <= max ? value : null;
        },
        "a whole number from " + min + " to " + max,
        fallback);
  }

  private Duration duration(String name, Duration fallback) {
    return parsed(
        name, KubeDuration::parse, "a duration such as 500ms, 30s, 2m, 1h30m or 1d", fallback);
  }

  private boolean bool(String name, boolean fallback) {
    return parsed(
        name,
        t ->
            switch (t.toLowerCase(Locale.ROOT)) {
              case "true" -> Boolean.TRUE;
              case "false" -> Boolean.FALSE;
              default -> null;
            },
        "true or false",
        fallback);
  }

  /**
   * A variable's value read by {@code parser} (which returns null or throws for what it refuses);
   * {@code fallback} when the variable is absent, or when it is refused, noted as a problem.
   */
  private <T> T parsed(String name, Function<String, T> parser, String expected, T fallback) {
    Optional<String> text = optional(name);
    if (text.isEmpty()) {
      return fallback;
    }
    T value;
    try {
      value = parser.apply(text.get());
    } catch (RuntimeException e) {
      value = null;
    }
    if (value == null) {
      problems.add(name + " must be " + expected + ", not '" + text.get() + "'");
      return fallback;
    }
    return value;
  }

  private String topicName(String variable, String name) {
    if (name != null && !TOPIC_NAME.matcher(name).matches()) {
      problems.add(
          variable
              + " '"
              + name
              + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-';"
              + " at most 249)");
    }
    return name;
  }

  private static boolean validDatabaseName(String name) {
    return name.length() < 64 && name.chars().noneMatch(c -> "/\\. \"$\0".indexOf(c) >= 0);
  }

  private static boolean validCollectionName(String name) {
    return !name.contains("$") && !name.contains("\0") && !name.startsWith("system.");
  }
}
