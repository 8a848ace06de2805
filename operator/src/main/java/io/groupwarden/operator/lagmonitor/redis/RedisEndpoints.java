package io.groupwarden.operator.lagmonitor.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One connection per Redis server, shared across resources: a resource acquires the endpoint it
 * needs under its own key, and the connection closes when the last user releases it. The same shape
 * as the Kafka admin pool.
 */
public final class RedisEndpoints implements AutoCloseable {
  private final Duration timeout;
  private final ClientResources resources =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
  private final Map<String, RedisEndpoint> endpoints = new HashMap<>();
  private final Map<String, Set<String>> users = new HashMap<>();
  private final Map<String, String> byUser = new HashMap<>();

  public RedisEndpoints(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The endpoint for {@code uri} on behalf of {@code user}; acquiring another URI releases the
   * previous one.
   *
   * @throws IllegalArgumentException when the URI is malformed
   */
  public synchronized RedisEndpoint acquire(String user, String uri) {
    String previous = byUser.get(user);
    if (previous != null && !previous.equals(uri)) {
      release(user);
    }
    RedisEndpoint endpoint = endpoints.get(uri);
    if (endpoint == null) {
      endpoint = new RedisEndpoint(uri, resources, timeout);
      endpoints.put(uri, endpoint);
    }
    users.computeIfAbsent(uri, u -> new HashSet<>()).add(user);
    byUser.put(user, uri);
    return endpoint;
  }

  /** Releases what {@code user} holds; closes the connection when nobody else needs it. */
  public synchronized void release(String user) {
    String uri = byUser.remove(user);
    if (uri == null) {
      return;
    }
    Set<String> holders = users.get(uri);
    holders.remove(user);
    if (holders.isEmpty()) {
      users.remove(uri);
      RedisEndpoint endpoint = endpoints.remove(uri);
      if (endpoint != null) {
        endpoint.close();
      }
    }
  }

  public synchronized int openEndpoints() {
    return endpoints.size();
  }

  @Override
  public synchronized void close() {
    endpoints.values().forEach(RedisEndpoint::close);
    endpoints.clear();
    users.clear();
    byUser.clear();
    resources.shutdown();
  }
}
