package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.Record;

/**
 * A record as {@code /consume} and {@code /messages} show it. A key or value holding one JSON
 * object, array or string appears as that JSON; anything else as its UTF-8 text; an absent one as
 * null. Headers appear only when the record has some (a repeated header name keeps its last value).
 */
record Message(
    String topic,
    int partition,
    long offset,
    Object key,
    Object value,
    long timestamp,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> headers) {

  private static final JsonFactory JSON = new JsonFactory();

  static Message of(String topic, int partition, Record record) {
    return new Message(
        topic,
        partition,
        record.offset(),
        record.hasKey() ? decode(bytes(record.key())) : null,
        record.hasValue() ? decode(bytes(record.value())) : null,
        record.timestamp(),
        headers(record.headers()));
  }

  static Message of(ConsumerRecord<byte[], byte[]> record) {
    return new Message(
        record.topic(),
        record.partition(),
        record.offset(),
        decode(record.key()),
        decode(record.value()),
        record.timestamp(),
        headers(record.headers().toArray()));
  }

  /** The bytes {@code max_bytes} counts for a record: its key and value. */
  static long size(Record record) {
    return Math.max(0, record.keySize()) + Math.max(0, record.valueSize());
  }

  static long size(ConsumerRecord<byte[], byte[]> record) {
    return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static Map<String, String> headers(Header[] headers) {
    if (headers.length == 0) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Header header : headers) {
      map.put(
          header.key(),
          header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return map;
  }

  /** JSON stays JSON (written as it was sent), anything else becomes a string. */
  static Object decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String trimmed = text.strip();
    if (!trimmed.isEmpty() && "{[\"".indexOf(trimmed.charAt(0)) >= 0 && isOneJsonValue(trimmed)) {
      return new RawValue(trimmed);
    }
    return text;
  }

  /** True when the text is exactly one well-formed JSON value; checked without building a tree. */
  private static boolean isOneJsonValue(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
