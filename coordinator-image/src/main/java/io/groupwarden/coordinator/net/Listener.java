package io.groupwarden.coordinator.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One endpoint in Kafka's listener syntax, {@code SASL_SSL://0.0.0.0:9093}: the security protocol
 * names the listener, as in a Kafka configuration without {@code listener.security.protocol.map}.
 * An empty host binds to every interface, as Kafka's does. Only the broker's own internal listener
 * has a name of its own.
 */
public record Listener(String name, SecurityProtocol protocol, String host, int port) {
  /** A listener named after its protocol, as every configured one is. */
  public Listener(SecurityProtocol protocol, String host, int port) {
    this(protocol.name, protocol, host, port);
  }

  public boolean tls() {
    return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
  }

  public boolean sasl() {
    return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
  }

  /** The address to bind: an empty host means every interface. */
  public String bindHost() {
    return host.isEmpty() ? "0.0.0.0" : host;
  }

  @Override
  public String toString() {
    return name() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Parses a comma-separated list; each protocol may appear once.
   *
   * @throws IllegalArgumentException saying which entry is wrong and why
   */
  public static List<Listener> parseList(String text) {
    List<Listener> listeners = new ArrayList<>();
    Set<SecurityProtocol> seen = new HashSet<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      Listener listener = parse(entry.trim());
      if (!seen.add(listener.protocol())) {
        throw new IllegalArgumentException("listener " + listener.name() + " is named twice");
      }
      listeners.add(listener);
    }
    if (listeners.isEmpty()) {
      throw new IllegalArgumentException("no listener in '" + text + "'");
    }
    return List.copyOf(listeners);
  }

  static Listener parse(String entry) {
    int scheme = entry.indexOf("://");
    int colon = entry.lastIndexOf(':');
    if (scheme > 0 && colon < scheme + 3) {
      throw new IllegalArgumentException("'" + entry + "' has no port (such as :9092)");
    }
    if (scheme <= 0) {
      throw new IllegalArgumentException(
          "'" + entry + "' is not a listener such as PLAINTEXT://127.0.0.1:9092");
    }
    String name = entry.substring(0, scheme).toUpperCase(Locale.ROOT);
    SecurityProtocol protocol;
    try {
      protocol = SecurityProtocol.forName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + name + "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    }
    String host = entry.substring(scheme + 3, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(entry.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("'" + entry + "' has no port between 0 and 65535");
    }
    return new Listener(protocol, host, port);
  }
}
