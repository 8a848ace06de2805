package io.groupwarden.sink.kafka;

import io.groupwarden.sink.document.MappedValue;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/** A consumed message with what its value maps to; the unit the worker batches. */
public record InboundMessage(
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    Headers headers,
    MappedValue mapped) {

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }
}
