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
public final class RedisEndpoints extends SharedByUsers<String, RedisEndpoint>
    implements AutoCloseable {
  private final Duration timeout;
  private final ClientResources resources =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

  public RedisEndpoints(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * @throws IllegalArgumentException when the URI is malformed
   */
  @Override
  protected RedisEndpoint open(String uri) {
    return new RedisEndpoint(uri, resources, timeout);
  }

  @Override
  protected void close(String uri, RedisEndpoint endpoint) {
    endpoint.close();
  }

  @Override
  public void close() {
    closeAll();
    resources.shutdown();
  }
}
