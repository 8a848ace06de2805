package io.groupwarden.operator.lag;

import io.groupwarden.operator.common.SharedByUsers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared admin client per Kafka connection, whichever resources use it. A resource acquires the
 * connection it needs under its own key; when the last user releases a connection, its client is
 * closed. Users that read records (the timestamps of the oldest unconsumed ones) share one consumer
 * per connection too, closed with its admin client; a consumer serves one thread, so its reads go
 * through {@link SharedRecordReads}, which makes one read at a time per connection. Acquiring a
 * connection throws {@link org.apache.kafka.common.KafkaException} when the client cannot be
 * created, e.g. the bootstrap address is malformed or does not resolve.
 */
public final class KafkaAdminPool extends SharedByUsers<KafkaConnection, Admin>
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAdminPool.class);

  private final Duration requestTimeout;
  private final Map<KafkaConnection, Consumer<byte[], byte[]>> readers = new HashMap<>();

  public KafkaAdminPool(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  /**
   * The consumer without a group of the connection {@code user} acquired last, for reading records
   * at given offsets; created on first use, shared by the connection's users.
   *
   * @throws IllegalStateException when the user holds no connection
   */
  public synchronized Consumer<byte[], byte[]> recordReader(String user) {
    KafkaConnection connection = heldBy(user);
    if (connection == null) {
      throw new IllegalStateException(user + " holds no Kafka connection");
    }
    return readers.computeIfAbsent(
        connection, c -> new KafkaConsumer<>(readerProperties(connection)));
  }

  @Override
  public void close() {
    closeAll();
  }

  @Override
  protected Admin open(KafkaConnection connection) {
    Admin admin = Admin.create(properties(connection));
    LOG.info("Opened Kafka admin connection to {}", connection);
    return admin;
  }

  /** Closes a connection's record reader with its admin client. */
  @Override
  protected void close(KafkaConnection connection, Admin admin) {
    closeReader(connection);
    admin.close(Duration.ofSeconds(5));
    LOG.info("Closed Kafka admin connection to {}", connection);
  }

  private void closeReader(KafkaConnection connection) {
    Consumer<byte[], byte[]> reader = readers.remove(connection);
    if (reader != null) {
      try {
        reader.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) { // a read still under way on it: it fails and is retried
        LOG.debug("Closing the record reader of {}: {}", connection, e.toString());
      }
    }
  }

  private Properties readerProperties(KafkaConnection connection) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "groupwarden-operator-records");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // an offset retention has passed reads from the log start: the oldest record that exists
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // only the first record of each partition is wanted; a broker always returns at least one batch
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
    // the records wanted exist; a longer wait only holds up the next read, which cannot fetch
    // while the fetch a poll sent ahead waits at a log end
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    // a batch can hold many records of one partition: let a poll hand over many partitions' first
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
    props.putAll(connection.clientProperties());
    return props;
  }

  private Properties properties(KafkaConnection connection) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "groupwarden-operator");
    int timeoutMs = (int) requestTimeout.toMillis();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs * 2);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 5_000);
    props.putAll(connection.clientProperties());
    return props;
  }
}
