package io.groupwarden.coordinator.group.offset;

/** A committed offset as stored by a shard. */
public record OffsetAndMetadata(
    long offset, int leaderEpoch, String metadata, long commitTimestamp, long expireTimestamp) {}
