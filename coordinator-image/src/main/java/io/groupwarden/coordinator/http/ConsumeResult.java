package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The answer to {@code POST /consume}, with the field names of the consume service it replaces. */
record ConsumeResult(
    boolean success,
    List<Message> messages,
    int count,
    String topic,
    @JsonProperty("group_id") String groupId) {

  static ConsumeResult of(ConsumeRequest request, List<ConsumerRecord<byte[], byte[]>> records) {
    List<Message> messages = records.stream().map(Message::of).toList();
    return new ConsumeResult(true, messages, messages.size(), request.topic(), request.groupId());
  }
}
