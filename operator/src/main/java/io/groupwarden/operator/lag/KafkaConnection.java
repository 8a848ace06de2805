package io.groupwarden.operator.lag;

import java.util.Map;
import java.util.TreeMap;

/**
 * How to reach one Kafka cluster: its bootstrap address and the client properties for TLS/SASL,
 * with credentials already resolved from Secrets. Two resources that resolve to equal connections
 * share one admin client.
 *
 * <p>{@link #toString()} names the address only: the properties may hold passwords.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {

  public KafkaConnection {
    clientProperties = Map.copyOf(new TreeMap<>(clientProperties));
  }

  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  @Override
  public String toString() {
    return bootstrapServers;
  }
}
