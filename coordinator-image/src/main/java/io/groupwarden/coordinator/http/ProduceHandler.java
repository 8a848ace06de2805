package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code POST /produce}: writes one message with the body the producer service this replaces took,
 * {@code {"topic": "orders", "message": {...}}} — a JSON value is written as compact JSON, a string
 * as its UTF-8 text — with optional {@code key}, {@code partition} and {@code headers}. The message
 * goes through a real Kafka producer of this broker (acks=all, idempotent), so it is durable when
 * the answer names its partition and offset.
 */
final class ProduceHandler implements AutoCloseable {
  record Body(
      String topic, JsonNode message, String key, Number partition, Map<String, String> headers) {}

  record Result(boolean success, String topic, int partition, long offset, long timestamp) {}

  private final TopicStore topics;
  private final ObjectMapper json;
  private final Map<String, Object> kafkaClient;
  private final int maxMessageBytes;
  private Producer<byte[], byte[]> producer;

  ProduceHandler(
      TopicStore topics, ObjectMapper json, Map<String, Object> kafkaClient, int maxMessageBytes) {
    this.topics = topics;
    this.json = json;
    this.kafkaClient = Map.copyOf(kafkaClient);
    this.maxMessageBytes = maxMessageBytes;
  }

  CompletableFuture<Response> produce(Request request) {
    ProducerRecord<byte[], byte[]> record = record(request.bodyAs(Body.class));
    CompletableFuture<Response> answer = new CompletableFuture<>();
    try {
      producer()
          .send(
              record,
              (metadata, error) -> {
                if (error != null) {
                  answer.completeExceptionally(refusal(error));
                } else {
                  answer.complete(
                      Response.json(
                          new Result(
                              true,
                              metadata.topic(),
                              metadata.partition(),
                              metadata.offset(),
                              metadata.timestamp())));
                }
              });
    } catch (KafkaException e) {
      answer.completeExceptionally(refusal(e));
    }
    return answer;
  }

  private ProducerRecord<byte[], byte[]> record(Body body) {
    if (body.topic() == null || body.topic().isBlank()) {
      throw HttpError.badRequest("'topic' is required and must be a non-empty string");
    }
    Topic topic = TopicsHandler.existing(topics, body.topic());
    JsonNode message = body.message();
    if (message == null || message.isNull() || message.isMissingNode()) {
      throw HttpError.badRequest("'message' is required: a JSON value or a string");
    }
    Integer partition = null;
    if (body.partition() != null) {
      int count = topic.partitions().size();
      partition = (int) BodyNumbers.whole(body.partition(), "partition", 0, 0, Integer.MAX_VALUE);
      if (partition >= count) {
        throw HttpError.badRequest(
            "partition "
                + partition
                + " does not exist: '"
                + topic.name()
                + "' has partitions 0 to "
                + (count - 1));
      }
    }
    RecordHeaders headers = new RecordHeaders();
    if (body.headers() != null) {
      body.headers()
          .forEach(
              (name, value) ->
                  headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] value;
    try {
      value =
          message.isTextual()
              ? message.textValue().getBytes(StandardCharsets.UTF_8)
              : json.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("'message' cannot be written as JSON");
    }
    byte[] key = body.key() == null ? null : body.key().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic.name(), partition, key, value, headers);
  }

  private HttpError refusal(Throwable error) {
    if (error instanceof RecordTooLargeException) {
      return new HttpError(
          413, "the message is larger than the broker accepts (" + maxMessageBytes + " bytes)");
    }
    if (error instanceof UnknownTopicOrPartitionException) {
      return HttpError.notFound("the topic or partition does not exist");
    }
    if (error instanceof TimeoutException) {
      return HttpError.unavailable(
          "the broker did not confirm the message in time; it may or may not have been written");
    }
    return HttpError.unavailable("the broker did not take the message: " + error.getMessage());
  }

  /** Made on first use, so a broker that never serves /produce never starts a producer. */
  private synchronized Producer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties props = new Properties();
      props.putAll(kafkaClient);
      props.put(ProducerConfig.CLIENT_ID_CONFIG, "http-produce");
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
      props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxMessageBytes));
      producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
      producer = null;
    }
  }
}
