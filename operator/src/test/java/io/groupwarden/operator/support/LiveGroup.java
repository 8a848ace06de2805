package io.groupwarden.operator.support;

import java.util.List;

/**
 * A consumer group at work on the shared broker: a new topic, a producer writing 20 messages a
 * second to each of its partitions, and one member consuming it and committing after each poll.
 *
 * @param consumer the group's one member
 */
public record LiveGroup(ProducerLoop producer, ConsumerLoop consumer) implements AutoCloseable {
  private static final int MESSAGES_PER_PARTITION_PER_SECOND = 20;

  /** Creates {@code topic} with {@code partitions}, then starts its producer and group's member. */
  public static LiveGroup start(
      OperatorTestEnvironment env, String topic, int partitions, String group) {
    env.kafka().createTopic(topic, partitions);
    ProducerLoop producer =
        new ProducerLoop(
            env.broker().bootstrapServers(), topic, partitions, MESSAGES_PER_PARTITION_PER_SECOND);
    try {
      return new LiveGroup(
          producer, new ConsumerLoop(env.kafka().consumer(group, null), List.of(topic)));
    } catch (RuntimeException e) {
      producer.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      consumer.close();
    } finally {
      producer.close();
    }
  }
}
