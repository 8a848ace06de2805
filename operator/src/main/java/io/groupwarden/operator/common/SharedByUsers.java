package io.groupwarden.operator.common;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Clients shared by the resources that need them (one per Kafka cluster, one per Redis server):
 * each resource, a user, holds the client of one key at a time; a client is opened for its first
 * user and closed when its last user lets go.
 *
 * <p>Not thread-safe: its owner calls it under its own lock, which also guards whatever else the
 * owner keeps per key.
 *
 * @param <K> what identifies a client (a connection's settings, a URI)
 * @param <C> the client
 */
public final class SharedByUsers<K, C> {
  private final Function<K, C> open;
  private final BiConsumer<K, C> close;
  private final Map<K, C> clients = new HashMap<>();
  private final Map<K, Set<String>> users = new HashMap<>();
  private final Map<String, K> byUser = new HashMap<>();

  /**
   * @param open opens the client of a key
   * @param close closes the client of a key, once nobody uses it
   */
  public SharedByUsers(Function<K, C> open, BiConsumer<K, C> close) {
    this.open = open;
    this.close = close;
  }

  /**
   * The client of {@code key}, on behalf of {@code user}; holding another key before releases it.
   */
  public C acquire(String user, K key) {
    K previous = byUser.get(user);
    if (previous != null && !previous.equals(key)) {
      release(user);
    }
    C client = clients.get(key);
    if (client == null) {
      client = open.apply(key);
      clients.put(key, client);
    }
    users.computeIfAbsent(key, k -> new HashSet<>()).add(user);
    byUser.put(user, key);
    return client;
  }

  /** The key {@code user} holds, or null. */
  public K heldBy(String user) {
    return byUser.get(user);
  }

  /** Releases what {@code user} holds; closes the client when nobody else uses it. */
  public void release(String user) {
    K key = byUser.remove(user);
    if (key == null) {
      return;
    }
    Set<String> holders = users.get(key);
    holders.remove(user);
    if (holders.isEmpty()) {
      users.remove(key);
      C client = clients.remove(key);
      if (client != null) {
        close.accept(key, client);
      }
    }
  }

  /** The number of open clients. */
  public int open() {
    return clients.size();
  }

  /** Closes every client, whoever holds it. */
  public void closeAll() {
    clients.forEach(close);
    clients.clear();
    users.clear();
    byUser.clear();
  }
}
