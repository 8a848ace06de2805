package io.groupwarden.common.env;

/**
 * The environment variables of the coordinator broker. The broker reads each setting from its flag
 * or from the variable named here; the operator writes these names into a managed coordinator's
 * ConfigMap. Both sides use these constants, so a name cannot drift on one side only.
 */
public final class CoordinatorEnv {
  public static final String HOST = "COORDINATOR_HOST";
  public static final String PORT = "COORDINATOR_PORT";
  public static final String HTTP_PORT = "COORDINATOR_HTTP_PORT";
  public static final String DATA_DIR = "COORDINATOR_DATA_DIR";
  public static final String ADVERTISED_HOST = "COORDINATOR_ADVERTISED_HOST";
  public static final String ADVERTISED_PORT = "COORDINATOR_ADVERTISED_PORT";
  public static final String NODE_ID = "COORDINATOR_NODE_ID";
  public static final String DEFAULT_PARTITIONS = "COORDINATOR_DEFAULT_PARTITIONS";
  public static final String AUTO_CREATE_TOPICS = "COORDINATOR_AUTO_CREATE_TOPICS";
  public static final String GROUP_MIN_SESSION_TIMEOUT = "COORDINATOR_GROUP_MIN_SESSION_TIMEOUT";
  public static final String GROUP_MAX_SESSION_TIMEOUT = "COORDINATOR_GROUP_MAX_SESSION_TIMEOUT";
  public static final String GROUP_INITIAL_REBALANCE_DELAY =
      "COORDINATOR_GROUP_INITIAL_REBALANCE_DELAY";
  public static final String GROUP_MAX_SIZE = "COORDINATOR_GROUP_MAX_SIZE";
  public static final String OFFSETS_RETENTION = "COORDINATOR_OFFSETS_RETENTION";
  public static final String OFFSETS_RETENTION_CHECK_INTERVAL =
      "COORDINATOR_OFFSETS_RETENTION_CHECK_INTERVAL";
  public static final String GROUP_SHARDS = "COORDINATOR_GROUP_SHARDS";
  public static final String LOG_RETENTION = "COORDINATOR_LOG_RETENTION";
  public static final String LOG_RETENTION_BYTES = "COORDINATOR_LOG_RETENTION_BYTES";
  public static final String LOG_SEGMENT_BYTES = "COORDINATOR_LOG_SEGMENT_BYTES";
  public static final String LOG_RETENTION_CHECK_INTERVAL =
      "COORDINATOR_LOG_RETENTION_CHECK_INTERVAL";
  public static final String LOG_CLEANER_BACKOFF = "COORDINATOR_LOG_CLEANER_BACKOFF";
  public static final String PRODUCER_ID_EXPIRATION = "COORDINATOR_PRODUCER_ID_EXPIRATION";
  public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL =
      "COORDINATOR_PRODUCER_ID_EXPIRATION_CHECK_INTERVAL";
  public static final String MAX_MESSAGE_BYTES = "COORDINATOR_MAX_MESSAGE_BYTES";
  public static final String MAX_REQUEST_BYTES = "COORDINATOR_MAX_REQUEST_BYTES";
  public static final String OFFSET_METADATA_MAX_BYTES = "COORDINATOR_OFFSET_METADATA_MAX_BYTES";
  public static final String GROUP_CONSUMER_SESSION_TIMEOUT =
      "COORDINATOR_GROUP_CONSUMER_SESSION_TIMEOUT";
  public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL =
      "COORDINATOR_GROUP_CONSUMER_HEARTBEAT_INTERVAL";
  public static final String GROUP_CONSUMER_ASSIGNORS = "COORDINATOR_GROUP_CONSUMER_ASSIGNORS";
  public static final String HTTP_CONSUME_INSTANCES = "COORDINATOR_HTTP_CONSUME_INSTANCES";
  public static final String HTTP_CONSUME_IDLE_TIMEOUT = "COORDINATOR_HTTP_CONSUME_IDLE_TIMEOUT";

  public static final String TRANSACTION_MAX_TIMEOUT = "COORDINATOR_TRANSACTION_MAX_TIMEOUT";
  public static final String TRANSACTION_ABORT_TIMED_OUT_INTERVAL =
      "COORDINATOR_TRANSACTION_ABORT_TIMED_OUT_INTERVAL";
  public static final String TRANSACTIONAL_ID_EXPIRATION =
      "COORDINATOR_TRANSACTIONAL_ID_EXPIRATION";
  public static final String TRANSACTION_VERSION = "COORDINATOR_TRANSACTION_VERSION";

  public static final String LISTENERS = "COORDINATOR_LISTENERS";
  public static final String ADVERTISED_LISTENERS = "COORDINATOR_ADVERTISED_LISTENERS";
  public static final String TLS_CERT = "COORDINATOR_TLS_CERT";
  public static final String TLS_KEY = "COORDINATOR_TLS_KEY";
  public static final String TLS_CA = "COORDINATOR_TLS_CA";
  public static final String TLS_CLIENT_AUTH = "COORDINATOR_TLS_CLIENT_AUTH";
  public static final String TLS_RELOAD_CHECK_INTERVAL = "COORDINATOR_TLS_RELOAD_CHECK_INTERVAL";
  public static final String SASL_MECHANISMS = "COORDINATOR_SASL_MECHANISMS";
  public static final String SASL_USERS = "COORDINATOR_SASL_USERS";
  public static final String SUPER_USERS = "COORDINATOR_SUPER_USERS";
  public static final String CONNECTIONS_MAX_REAUTH = "COORDINATOR_CONNECTIONS_MAX_REAUTH";
  public static final String FAILED_AUTHENTICATION_DELAY =
      "COORDINATOR_FAILED_AUTHENTICATION_DELAY";
  public static final String HTTP_TLS = "COORDINATOR_HTTP_TLS";
  public static final String HTTP_TOKEN = "COORDINATOR_HTTP_TOKEN";
  public static final String HTTP_TOKEN_FILE = "COORDINATOR_HTTP_TOKEN_FILE";

  public static final String CONNECTIONS_MAX_IDLE = "COORDINATOR_CONNECTIONS_MAX_IDLE";
  public static final String MAX_CONNECTIONS = "COORDINATOR_MAX_CONNECTIONS";
  public static final String MAX_CONNECTIONS_PER_IP = "COORDINATOR_MAX_CONNECTIONS_PER_IP";
  public static final String QUEUED_MAX_REQUEST_BYTES = "COORDINATOR_QUEUED_MAX_REQUEST_BYTES";
  public static final String MAX_TOPICS = "COORDINATOR_MAX_TOPICS";
  public static final String MAX_PARTITIONS = "COORDINATOR_MAX_PARTITIONS";
  public static final String TOPIC_CREATION_RATE = "COORDINATOR_TOPIC_CREATION_RATE";
  public static final String MAX_OPEN_SEGMENT_FILES = "COORDINATOR_MAX_OPEN_SEGMENT_FILES";

  private CoordinatorEnv() {}
}
