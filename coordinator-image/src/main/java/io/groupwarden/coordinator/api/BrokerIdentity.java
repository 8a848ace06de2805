package io.groupwarden.coordinator.api;

import java.util.function.IntSupplier;

/**
 * Who this broker is in metadata: its id, the address clients should use, its cluster id. The port
 * is read when asked, because with {@code --port 0} it is only known once the listener is bound.
 */
public record BrokerIdentity(
    int nodeId, String host, IntSupplier advertisedPort, String clusterId) {

  public int port() {
    return advertisedPort.getAsInt();
  }
}
