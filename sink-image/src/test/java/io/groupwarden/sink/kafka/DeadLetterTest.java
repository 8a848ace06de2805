package io.groupwarden.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.document.MappedValue;
import io.groupwarden.sink.document.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  @Test
  void theRecordKeepsTheMessageAndSaysWhereItCameFromAndWhy() {
    RecordHeaders original = new RecordHeaders();
    original.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
    InboundMessage message =
        new InboundMessage(
            "orders",
            4,
            1234,
            "k".getBytes(StandardCharsets.UTF_8),
            "{oops".getBytes(StandardCharsets.UTF_8),
            original,
            new MappedValue.Rejected(RejectReason.INVALID_JSON, "bad"));

    ProducerRecord<byte[], byte[]> record =
        DeadLetter.record(
            "orders.dlq", message, RejectReason.INVALID_JSON, "Unexpected end", "w-0");

    assertThat(record.topic()).isEqualTo("orders.dlq");
    assertThat(record.key()).isEqualTo(message.key());
    assertThat(record.value()).isEqualTo(message.value());
    assertThat(headers(record))
        .containsExactly(
            Map.entry("trace-id", "t-1"),
            Map.entry("sink.original.topic", "orders"),
            Map.entry("sink.original.partition", "4"),
            Map.entry("sink.original.offset", "1234"),
            Map.entry("sink.error.reason", "INVALID_JSON"),
            Map.entry("sink.error.message", "Unexpected end"),
            Map.entry("sink.worker", "w-0"));
  }

  @Test
  void longErrorsAreCut() {
    InboundMessage message = new InboundMessage("t", 0, 0, null, null, new RecordHeaders(), null);
    ProducerRecord<byte[], byte[]> record =
        DeadLetter.record("t.dlq", message, RejectReason.STORE_REJECTED, "x".repeat(5000), "w");

    assertThat(headers(record).get("sink.error.message"))
        .hasSize(DeadLetter.MAX_ERROR_LENGTH + 3)
        .endsWith("...");
  }

  private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
