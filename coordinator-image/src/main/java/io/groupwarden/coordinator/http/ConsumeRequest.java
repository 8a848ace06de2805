package io.groupwarden.coordinator.http;

/**
 * A checked {@code POST /consume}.
 *
 * @param topic the topic to read
 * @param groupId the group whose committed offsets are read and advanced
 * @param maxMessages the most records to return
 * @param maxBytes the most bytes of keys and values to return (the first record always fits)
 * @param timeoutMs how long to wait for records before answering with fewer
 */
record ConsumeRequest(
    String topic, String groupId, int maxMessages, long maxBytes, long timeoutMs) {}
