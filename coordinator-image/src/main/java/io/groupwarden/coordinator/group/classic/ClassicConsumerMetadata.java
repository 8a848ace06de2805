package io.groupwarden.coordinator.group.classic;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a classic group of protocol type "consumer" carries as opaque bytes (subscriptions in
 * member metadata, assignments from SyncGroup) with kafka-clients' own codec, for describing the
 * group and for telling which topics it reads.
 */
final class ClassicConsumerMetadata {
  private ClassicConsumerMetadata() {}

  /** Whether this subscription names {@code topic}; unreadable bytes name no topic. */
  static boolean subscribes(byte[] metadata, String topic) {
    if (metadata == null) {
      return false;
    }
    try {
      return ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata))
          .topics()
          .contains(topic);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The partitions of an assignment: empty when there is none, null when the bytes are bad. */
  static List<TopicPartition> assignedPartitions(byte[] assignment) {
    if (assignment.length == 0) {
      return List.of();
    }
    try {
      return List.copyOf(
          ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
