package io.groupwarden.sink.kafka;

import io.groupwarden.sink.document.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The dead-letter record for a message that will not be stored: the original key, value and
 * headers, plus headers that say where it came from and why it is here.
 */
public final class DeadLetter {
  public static final String ORIGINAL_TOPIC = "sink.original.topic";
  public static final String ORIGINAL_PARTITION = "sink.original.partition";
  public static final String ORIGINAL_OFFSET = "sink.original.offset";
  public static final String REASON = "sink.error.reason";
  public static final String ERROR = "sink.error.message";
  public static final String WORKER = "sink.worker";

  /** Longer error texts are cut: a header is not the place for a stack of driver messages. */
  static final int MAX_ERROR_LENGTH = 1000;

  private DeadLetter() {}

  public static ProducerRecord<byte[], byte[]> record(
      String deadLetterTopic,
      InboundMessage message,
      RejectReason reason,
      String error,
      String workerId) {
    List<Header> headers = new ArrayList<>();
    message.headers().forEach(headers::add);
    headers.add(header(ORIGINAL_TOPIC, message.topic()));
    headers.add(header(ORIGINAL_PARTITION, Integer.toString(message.partition())));
    headers.add(header(ORIGINAL_OFFSET, Long.toString(message.offset())));
    headers.add(header(REASON, reason.name()));
    headers.add(header(ERROR, truncated(error)));
    headers.add(header(WORKER, workerId));
    return new ProducerRecord<>(
        deadLetterTopic, null, null, message.key(), message.value(), headers);
  }

  private static String truncated(String error) {
    String text = error == null ? "" : error;
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
