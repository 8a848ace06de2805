package io.groupwarden.operator.common;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Clients shared by the resources that need them (one per Kafka cluster, one per Redis server):
 * each resource, a user such as {@code policy/ns/name}, holds the client of one key at a time; a
 * client is opened for its first user and closed when its last user lets go. Its methods hold the
 * pool's lock, which a subclass also takes for what it keeps per key.
 *
 * @param <K> what identifies a client (a connection's settings, a URI)
 * @param <C> the client
 */
public abstract class SharedByUsers<K, C> {
  private final Map<K, C> clients = new HashMap<>();
  private final Map<K, Set<String>> users = new HashMap<>();
  private final Map<String, K> byUser = new HashMap<>();

  /** Opens the client of {@code key}, for its first user. */
  protected abstract C open(K key);

  /** Closes the client of {@code key}, once nobody uses it. */
  protected abstract void close(K key, C client);

  /**
   * The client of {@code key}, on behalf of {@code user}; holding another key before releases it.
   *
   * @throws RuntimeException what {@link #open} throws when the client cannot be opened, e.g. a
   *     malformed address
   */
  public synchronized C acquire(String user, K key) {
    K previous = byUser.get(user);
    if (previous != null && !previous.equals(key)) {
      release(user);
    }
    C client = clients.get(key);
    if (client == null) {
      client = open(key);
      clients.put(key, client);
    }
    users.computeIfAbsent(key, k -> new HashSet<>()).add(user);
    byUser.put(user, key);
    return client;
  }

  /** Releases what {@code user} holds; closes the client when nobody else uses it. */
  public synchronized void release(String user) {
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
        close(key, client);
      }
    }
  }

  /** The number of open clients. */
  public synchronized int openClients() {
    return clients.size();
  }

  /** The key {@code user} holds, or null. */
  protected synchronized K heldBy(String user) {
    return byUser.get(user);
  }

  /** Closes every client, whoever holds it. */
  protected synchronized void closeAll() {
    clients.forEach(this::close);
    clients.clear();
    users.clear();
    byUser.clear();
  }
}
