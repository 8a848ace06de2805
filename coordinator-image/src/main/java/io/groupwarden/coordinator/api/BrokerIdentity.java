package io.groupwarden.coordinator.api;

/** Who this broker is in metadata: its id, the address clients should use, its cluster id. */
public record BrokerIdentity(int nodeId, String host, int port, String clusterId) {}
