package io.groupwarden.operator.lagmonitor.redis;

import io.groupwarden.operator.common.SharedByUsers;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;

/**
 * One connection per Redis server, shared across resources: a resource acquires the endpoint it
 * needs under its own key, and the connection closes when the last user releases it. The same
 * sharing as the Kafka admin pool's.
 */
public final class RedisEndpoints implements AutoCloseable {
  private final ClientResources resources =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
  private final SharedByUsers<String, RedisEndpoint> endpoints;

  public RedisEndpoints(Duration timeout) {
    this.endpoints =
        new SharedByUsers<>(
            uri -> new RedisEndpoint(uri, resources, timeout), (uri, endpoint) -> endpoint.close());
  }

  /**
   * The endpoint for {@code uri} on behalf of {@code user}; acquiring another URI releases the
   * previous one.
   *
   * @throws IllegalArgumentException when the URI is malformed
   */
  public synchronized RedisEndpoint acquire(String user, String uri) {
    return endpoints.acquire(user, uri);
  }

  /** Releases what {@code user} holds; closes the connection when nobody else needs it. */
  public synchronized void release(String user) {
    endpoints.release(user);
  }

  public synchronized int openEndpoints() {
    return endpoints.open();
  }

  @Override
  public synchronized void close() {
    endpoints.closeAll();
    resources.shutdown();
  }
}
