package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.TopicMetadata;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The consumer protocol embedded in the classic protocol's JoinGroup and SyncGroup (subscriptions
 * and assignments as bytes, topics by name), read and written with kafka-clients' own codec and
 * translated to and from a consumer group's partitions by topic id.
 */
final class EmbeddedConsumerProtocol {
  private final TopicMetadata topics;

  EmbeddedConsumerProtocol(TopicMetadata topics) {
    this.topics = topics;
  }

  /**
   * A classic member's subscription (topics, owned partitions, rack); throws when the bytes are not
   * an embedded consumer-protocol subscription.
   */
  static ConsumerPartitionAssignor.Subscription subscription(byte[] metadata) {
    return ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata));
  }

  /** True when every protocol's metadata names a version of the embedded protocol. */
  static boolean readable(ClassicMemberMetadata classic) {
    try {
      for (var protocol : classic.protocols()) {
        ConsumerProtocol.deserializeVersion(ByteBuffer.wrap(protocol.metadata()));
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Partitions by topic name, as topic ids; partitions of unknown topics are left out. */
  Assignment byId(Collection<TopicPartition> partitions) {
    Map<Uuid, Set<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : partitions) {
      TopicMetadata.Topic topic = topics.byName(tp.topic());
      if (topic != null) {
        byTopic.computeIfAbsent(topic.id(), t -> new TreeSet<>()).add(tp.partition());
      }
    }
    return byTopic.isEmpty() ? Assignment.EMPTY : new Assignment(byTopic);
  }

  /** The partitions of a classic member's assignment bytes (none when it has none). */
  Assignment assignment(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return Assignment.EMPTY;
    }
    return byId(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(bytes)).partitions());
  }

  /**
   * An assignment as the bytes SyncGroup hands a classic member, in the embedded protocol version
   * its subscription ({@code metadata}) was written in.
   */
  byte[] assignmentBytes(Assignment assignment, byte[] metadata) {
    List<TopicPartition> partitions = assignment.byName(topics);
    short version = ConsumerProtocol.deserializeVersion(ByteBuffer.wrap(metadata));
    ByteBuffer buffer =
        ConsumerProtocol.serializeAssignment(
            new ConsumerPartitionAssignor.Assignment(partitions), version);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
