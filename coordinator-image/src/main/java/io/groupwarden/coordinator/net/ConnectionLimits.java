package io.groupwarden.coordinator.net;

/**
 * Bounds on what clients can hold of the broker, under Kafka's names.
 *
 * @param maxRequestBytes largest request frame ({@code socket.request.max.bytes}); larger closes
 * @param maxUnauthenticatedBytes largest frame before SASL authentication completes ({@code
 *     sasl.server.max.receive.size})
 * @param idleTimeoutMs a connection with no traffic this long is closed ({@code
 *     connections.max.idle.ms})
 * @param maxConnections connections open at once over all listeners ({@code max.connections})
 * @param maxConnectionsPerIp connections open at once from one address ({@code
 *     max.connections.per.ip})
 */
public record ConnectionLimits(
    int maxRequestBytes,
    int maxUnauthenticatedBytes,
    long idleTimeoutMs,
    int maxConnections,
    int maxConnectionsPerIp) {

  public static final int SASL_MAX_RECEIVE_BYTES = 524_288;
}
