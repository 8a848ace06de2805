package io.groupwarden.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.WriteConcern;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {
  private static final String URI = "mongodb://sink:s3cr3t-pw@mongo-0.mongo:27017/events";

  /** What a worker needs; its instance id comes from the pod's name. */
  private static Map<String, String> minimal() {
    return SinkEnvironments.ordersSink("kafka:9092", URI, "HOSTNAME", "orders-sink-2");
  }

  private static Map<String, String> with(String... pairs) {
    return SinkEnvironments.with(minimal(), pairs);
  }

  @Test
  void theMinimalEnvironmentGivesTheDocumentedDefaults() {
    SinkConfig config = SinkConfig.fromEnvironment(minimal());

    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.kafka().instanceId()).isEqualTo("orders-sink-2");
    assertThat(config.kafka().deadLetterTopic()).isEqualTo("orders.dlq");
    assertThat(config.kafka().sessionTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.kafka().leaveGroupOnShutdown()).isFalse();
    assertThat(config.kafka().outageLimit()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.kafka().security()).isEqualTo(KafkaSecurity.plaintext());
    assertThat(config.mongo().database()).isEqualTo("events");
    assertThat(config.mongo().writeConcern()).isEmpty();
    assertThat(config.batch())
        .isEqualTo(
            new SinkConfig.Batch(
                100,
                1000,
                3,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofMillis(100)));
    assertThat(config.onStoreOutage()).isEqualTo(OnStoreOutage.PAUSE);
    assertThat(config.metricsPort()).isEqualTo(8001);
  }

  @Test
  void everyVariableIsRead() {
    SinkConfig config =
        SinkConfig.fromEnvironment(
            with(
                "SINK_INSTANCE_ID", "worker-a",
                "SINK_DEAD_LETTER_TOPIC", "orders-rejects",
                "SINK_KAFKA_SESSION_TIMEOUT", "1m30s",
                "SINK_LEAVE_GROUP_ON_SHUTDOWN", "true",
                "SINK_KAFKA_OUTAGE_LIMIT", "1h30m",
                "SINK_MONGODB_DATABASE", "sinkdb",
                "SINK_WRITE_CONCERN", "majority",
                "SINK_BATCH_SIZE", "1000",
                "SINK_COMMIT_EVERY", "5000",
                "SINK_MAX_RETRIES", "0",
                "SINK_RETRY_BACKOFF", "250ms",
                "SINK_RETRY_BACKOFF_MAX", "2m",
                "SINK_BATCH_LINGER", "20ms",
                "SINK_ON_STORE_OUTAGE", "dead-letter",
                "SINK_METRICS_PORT", "9100"));

    assertThat(config.kafka().instanceId()).isEqualTo("worker-a");
    assertThat(config.kafka().deadLetterTopic()).isEqualTo("orders-rejects");
    assertThat(config.kafka().sessionTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.kafka().leaveGroupOnShutdown()).isTrue();
    assertThat(config.kafka().outageLimit()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.mongo().database()).isEqualTo("sinkdb");
    assertThat(config.mongo().writeConcern()).contains(WriteConcern.MAJORITY);
    assertThat(config.batch())
        .isEqualTo(
            new SinkConfig.Batch(
                1000,
                5000,
                0,
                Duration.ofMillis(250),
                Duration.ofMinutes(2),
                Duration.ofMillis(20)));
    assertThat(config.onStoreOutage()).isEqualTo(OnStoreOutage.DEAD_LETTER);
    assertThat(config.metricsPort()).isEqualTo(9100);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> env = new HashMap<>();
    env.put("SINK_BATCH_SIZE", "zero");
    env.put("SINK_RETRY_BACKOFF", "5");
    env.put("SINK_ON_STORE_OUTAGE", "drop");
    env.put("SINK_KAFKA_OUTAGE_LIMIT", "500ms");

    assertThatThrownBy(() -> SinkConfig.fromEnvironment(env))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "SINK_BOOTSTRAP_SERVERS is required",
                        "SINK_TOPIC is required",
                        "SINK_GROUP_ID is required",
                        "SINK_INSTANCE_ID is not set and neither is HOSTNAME: the worker needs a"
                            + " stable group.instance.id (the pod name)",
                        "SINK_MONGODB_URI is required (in Kubernetes: from the MongoSink's Secret)",
                        "SINK_MONGODB_COLLECTION is required",
                        "SINK_BATCH_SIZE must be a whole number from 1 to 100000, not 'zero'",
                        "SINK_RETRY_BACKOFF must be a duration such as 500ms, 30s, 2m, 1h30m or"
                            + " 1d, not '5'",
                        "SINK_ON_STORE_OUTAGE must be 'pause' or 'dead-letter', not 'drop'",
                        "SINK_KAFKA_OUTAGE_LIMIT must be at least 1s"));
  }

  @Test
  void theConnectionStringNeverAppearsInAMessageOrToString() {
    SinkConfig config = SinkConfig.fromEnvironment(minimal());
    assertThat(config.toString()).doesNotContain("s3cr3t-pw").contains("<redacted>");

    String broken = "mongodb://sink:s3cr3t-pw@mongo:notaport/events";
    assertThatThrownBy(() -> SinkConfig.fromEnvironment(with("SINK_MONGODB_URI", broken)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("SINK_MONGODB_URI is not a valid MongoDB connection string")
        .hasMessageNotContaining("s3cr3t-pw");
  }

  @Test
  void aDatabaseIsRequiredWhenTheConnectionStringNamesNone() {
    assertThatThrownBy(
            () -> SinkConfig.fromEnvironment(with("SINK_MONGODB_URI", "mongodb://mongo:27017")))
        .hasMessageContaining(
            "SINK_MONGODB_DATABASE is required (the connection string names no database)");
  }

  @Test
  void theDeadLetterTopicMustNotBeTheTopic() {
    assertThatThrownBy(() -> SinkConfig.fromEnvironment(with("SINK_DEAD_LETTER_TOPIC", "orders")))
        .hasMessageContaining("SINK_DEAD_LETTER_TOPIC must differ from SINK_TOPIC ('orders')");
  }

  @Test
  void topicAndCollectionNamesAreChecked() {
    assertThatThrownBy(
            () ->
                SinkConfig.fromEnvironment(
                    with("SINK_TOPIC", "orders/eu", "SINK_MONGODB_COLLECTION", "system.users")))
        .hasMessageContaining("SINK_TOPIC 'orders/eu' is not a valid Kafka topic name")
        .hasMessageContaining("SINK_MONGODB_COLLECTION 'system.users' is not a valid collection");
  }

  @Test
  void unacknowledgedWritesAreRefused() {
    assertThatThrownBy(() -> SinkConfig.fromEnvironment(with("SINK_WRITE_CONCERN", "0")))
        .hasMessageContaining("SINK_WRITE_CONCERN must acknowledge writes");
    assertThat(SinkConfig.fromEnvironment(with("SINK_WRITE_CONCERN", "2")).mongo().writeConcern())
        .contains(new WriteConcern(2));
  }

  @Test
  void saslNeedsAMechanismAndCredentials() {
    assertThatThrownBy(
            () -> SinkConfig.fromEnvironment(with("SINK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")))
        .hasMessageContaining(
            "SINK_KAFKA_SASL_MECHANISM is required with" + " SINK_KAFKA_SECURITY_PROTOCOL=SASL_SSL")
        .hasMessageContaining("SINK_KAFKA_SASL_USERNAME and SINK_KAFKA_SASL_PASSWORD are required");

    SinkConfig config =
        SinkConfig.fromEnvironment(
            with(
                "SINK_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "SINK_KAFKA_SASL_MECHANISM", "scram-sha-512",
                "SINK_KAFKA_SASL_USERNAME", "sink",
                "SINK_KAFKA_SASL_PASSWORD", "kafka-pw",
                "SINK_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-ca/ca.crt",
                "SINK_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM"));
    KafkaSecurity security = config.kafka().security();
    assertThat(security.protocol()).isEqualTo("SASL_SSL");
    assertThat(security.saslMechanism()).contains("SCRAM-SHA-512");
    assertThat(security.saslPassword().orElseThrow().value()).isEqualTo("kafka-pw");
    assertThat(security.truststoreType()).contains("PEM");
    assertThat(config.toString()).doesNotContain("kafka-pw");
  }

  @Test
  void saslSettingsWithoutASaslProtocolAreAMistake() {
    assertThatThrownBy(() -> SinkConfig.fromEnvironment(with("SINK_KAFKA_SASL_USERNAME", "sink")))
        .hasMessageContaining(
            "SASL settings are given but SINK_KAFKA_SECURITY_PROTOCOL is" + " PLAINTEXT");
  }

  @Test
  void unknownSinkVariablesAreNamed() {
    assertThat(
            SinkConfig.unknownVariables(
                with("SINK_BATCHSIZE", "10", "SINK_TOPIC", "orders", "PATH", "/usr/bin")))
        .containsExactly("SINK_BATCHSIZE");
  }

  @Test
  void durationsAreReadWithTheResourcesGrammar() {
    SinkConfig config =
        SinkConfig.fromEnvironment(with("SINK_RETRY_BACKOFF", "1d", "SINK_BATCH_LINGER", "1.5s"));

    assertThat(config.batch().retryBackoff()).isEqualTo(Duration.ofDays(1));
    assertThat(config.batch().retryBackoffMax()).isEqualTo(Duration.ofDays(1));
    assertThat(config.batch().linger()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aDurationWithoutUnitIsNamedAsWrong() {
    assertThatThrownBy(() -> SinkConfig.fromEnvironment(with("SINK_RETRY_BACKOFF", "10")))
        .hasMessageContaining("SINK_RETRY_BACKOFF must be a duration such as 500ms")
        .hasMessageContaining("not '10'");
  }
}
