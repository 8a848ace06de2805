package io.groupwarden.coordinator.group;

/** Who sent a request: used for member ids, DescribeGroups and version-dependent answers. */
public record Client(String clientId, String clientHost, short apiVersion) {}
