package io.groupwarden.operator.lagmonitor.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Redis server, shared by every resource that watches it: one client, one connection, connected
 * on first use and again after a failure. A collection holds the endpoint's lock so that its
 * pipelined commands are flushed together.
 */
public final class RedisEndpoint implements AutoCloseable {
  private final RedisURI uri;
  private final RedisClient client;
  private final ReentrantLock lock = new ReentrantLock();
  private StatefulRedisConnection<String, String> connection;

  RedisEndpoint(String uri, ClientResources resources, Duration timeout) {
    this.uri = parse(uri);
    this.uri.setTimeout(timeout);
    this.client = RedisClient.create(resources, this.uri);
    this.client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build());
  }

  /**
   * Parses a redis:// or rediss:// URI.
   *
   * @throws IllegalArgumentException with a message that never contains the password
   */
  public static RedisURI parse(String uri) {
    if (uri == null || !(uri.startsWith("redis://") || uri.startsWith("rediss://"))) {
      throw new IllegalArgumentException("must start with redis:// or rediss://");
    }
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a valid Redis URI");
    }
  }

  /** The connection, opened if needed; throws when the server cannot be reached. */
  StatefulRedisConnection<String, String> connection() {
    if (connection == null || !connection.isOpen()) {
      if (connection != null) {
        connection.closeAsync();
      }
      connection = client.connect();
    }
    return connection;
  }

  ReentrantLock lock() {
    return lock;
  }

  /** host:port/db, never the password. */
  @Override
  public String toString() {
    return (uri.isSsl() ? "rediss://" : "redis://")
        + uri.getHost()
        + ":"
        + uri.getPort()
        + "/"
        + uri.getDatabase();
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
