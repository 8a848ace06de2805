package io.groupwarden.coordinator.group;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.CoordinatorRecordType;

/**
 * {@link GroupRecord}s as bytes, the way Kafka lays them out in {@code __consumer_offsets}: the key
 * is the record type (a short) and the key message, the value is its version (a short) and the
 * value message. The messages are Kafka's generated classes, so each type can evolve by version.
 */
public final class GroupRecordSerde {
  private GroupRecordSerde() {}

  public static byte[] key(GroupRecord record) {
    return MessageUtil.toCoordinatorTypePrefixedBytes(record.key());
  }

  /** The value's bytes, or null for a tombstone. */
  public static byte[] value(GroupRecord record) {
    return record.isTombstone()
        ? null
        : MessageUtil.toVersionPrefixedBytes(record.valueVersion(), record.value());
  }

  /**
   * Reads a record; a type or version this broker does not know is an {@link
   * UnreadableRecordException}.
   */
  public static GroupRecord read(ByteBuffer key, ByteBuffer value) {
    if (key == null || key.remaining() < 2) {
      throw new UnreadableRecordException("group record without a key");
    }
    ByteBufferAccessor keyReader = new ByteBufferAccessor(key);
    short typeId = keyReader.readShort();
    CoordinatorRecordType type;
    try {
      type = CoordinatorRecordType.fromId(typeId);
    } catch (RuntimeException e) {
      throw new UnreadableRecordException("unknown group record type " + typeId);
    }
    try {
      ApiMessage keyMessage = type.newRecordKey();
      keyMessage.read(keyReader, (short) 0);
      if (value == null) {
        return GroupRecord.tombstone(keyMessage);
      }
      ByteBufferAccessor valueReader = new ByteBufferAccessor(value);
      short version = valueReader.readShort();
      ApiMessage valueMessage = type.newRecordValue();
      if (version < valueMessage.lowestSupportedVersion()
          || version > valueMessage.highestSupportedVersion()) {
        throw new UnreadableRecordException(
            "version " + version + " of group record type " + type + " is not supported");
      }
      valueMessage.read(valueReader, version);
      return GroupRecord.of(keyMessage, valueMessage, version);
    } catch (UnreadableRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnreadableRecordException(
          "undecodable group record of type " + type + ": " + e.getMessage());
    }
  }

  /** A record this broker cannot read: written by another format, or damaged. */
  public static final class UnreadableRecordException extends RuntimeException {
    public UnreadableRecordException(String message) {
      super(message);
    }
  }
}
