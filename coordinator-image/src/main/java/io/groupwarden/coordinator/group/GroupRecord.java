package io.groupwarden.coordinator.group;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.coordinator.group.generated.CoordinatorRecordType;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;

/**
 * A change to a shard's durable state, in Apache Kafka's own group-coordinator record schemas (the
 * ones of {@code __consumer_offsets}): a key whose API key names the record type, and a versioned
 * value, or no value for a tombstone that removes what the key names. Handlers return these; they
 * are appended to the shard's log, and replaying them on start-up rebuilds the shard's groups and
 * offsets.
 */
public record GroupRecord(ApiMessage key, ApiMessage value, short valueVersion) {

  public static GroupRecord of(ApiMessage key, ApiMessage value, short valueVersion) {
    return new GroupRecord(key, value, valueVersion);
  }

  /** The highest version of the value's schema. */
  public static GroupRecord of(ApiMessage key, ApiMessage value) {
    return new GroupRecord(key, value, value.highestSupportedVersion());
  }

  public static GroupRecord tombstone(ApiMessage key) {
    return new GroupRecord(key, null, (short) 0);
  }

  /** Removes a group: its classic metadata, or for a consumer group the group itself. */
  public static GroupRecord groupTombstone(String groupId) {
    return tombstone(new GroupMetadataKey().setGroup(groupId));
  }

  public CoordinatorRecordType type() {
    return CoordinatorRecordType.fromId(key.apiKey());
  }

  public boolean isTombstone() {
    return value == null;
  }
}
