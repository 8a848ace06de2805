package io.groupwarden.common.env;

/**
 * The environment variables of the sink worker. The worker reads its whole configuration from
 * these; the operator writes them into a MongoSink's StatefulSet. Both sides use these constants,
 * so a name cannot drift on one side only.
 */
public final class SinkEnv {
  public static final String BOOTSTRAP_SERVERS = "SINK_BOOTSTRAP_SERVERS";
  public static final String TOPIC = "SINK_TOPIC";
  public static final String GROUP_ID = "SINK_GROUP_ID";
  public static final String INSTANCE_ID = "SINK_INSTANCE_ID";
  public static final String DEAD_LETTER_TOPIC = "SINK_DEAD_LETTER_TOPIC";
  public static final String KAFKA_SESSION_TIMEOUT = "SINK_KAFKA_SESSION_TIMEOUT";
  public static final String LEAVE_GROUP_ON_SHUTDOWN = "SINK_LEAVE_GROUP_ON_SHUTDOWN";

  /**
   * How long the worker goes on without an answer from Kafka before it exits (code 3) so that
   * Kubernetes restarts it; default {@code 5m}. The operator does not write it.
   */
  public static final String KAFKA_OUTAGE_LIMIT = "SINK_KAFKA_OUTAGE_LIMIT";

  public static final String KAFKA_SECURITY_PROTOCOL = "SINK_KAFKA_SECURITY_PROTOCOL";
  public static final String KAFKA_SASL_MECHANISM = "SINK_KAFKA_SASL_MECHANISM";
  public static final String KAFKA_SASL_USERNAME = "SINK_KAFKA_SASL_USERNAME";
  public static final String KAFKA_SASL_PASSWORD = "SINK_KAFKA_SASL_PASSWORD";
  public static final String KAFKA_SSL_TRUSTSTORE_LOCATION = "SINK_KAFKA_SSL_TRUSTSTORE_LOCATION";
  public static final String KAFKA_SSL_TRUSTSTORE_TYPE = "SINK_KAFKA_SSL_TRUSTSTORE_TYPE";
  public static final String KAFKA_SSL_TRUSTSTORE_PASSWORD = "SINK_KAFKA_SSL_TRUSTSTORE_PASSWORD";
  public static final String MONGODB_URI = "SINK_MONGODB_URI";
  public static final String MONGODB_DATABASE = "SINK_MONGODB_DATABASE";
  public static final String MONGODB_COLLECTION = "SINK_MONGODB_COLLECTION";
  public static final String WRITE_CONCERN = "SINK_WRITE_CONCERN";
  public static final String BATCH_SIZE = "SINK_BATCH_SIZE";
  public static final String COMMIT_EVERY = "SINK_COMMIT_EVERY";
  public static final String MAX_RETRIES = "SINK_MAX_RETRIES";
  public static final String RETRY_BACKOFF = "SINK_RETRY_BACKOFF";
  public static final String RETRY_BACKOFF_MAX = "SINK_RETRY_BACKOFF_MAX";
  public static final String BATCH_LINGER = "SINK_BATCH_LINGER";
  public static final String ON_STORE_OUTAGE = "SINK_ON_STORE_OUTAGE";
  public static final String METRICS_PORT = "SINK_METRICS_PORT";

  private SinkEnv() {}
}
