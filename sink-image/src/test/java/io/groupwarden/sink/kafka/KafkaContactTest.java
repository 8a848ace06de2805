package io.groupwarden.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.sink.fakes.MutableClock;
import io.groupwarden.sink.fakes.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KafkaContactTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingConsumer consumer = new RecordingConsumer();
  private final KafkaContact contact =
      new KafkaContact(consumer, "orders", Duration.ofSeconds(30), clock);

  @Test
  void probesOnlyWhenNothingWasHeardForAWhile() {
    contact.check();
    clock.advance(Duration.ofSeconds(4));
    contact.heard();
    clock.advance(Duration.ofSeconds(4));
    contact.check();
    assertThat(consumer.offsetLookups()).isZero();

    clock.advance(KafkaContact.PROBE_AFTER);
    contact.check();
    assertThat(consumer.offsetLookups()).isEqualTo(1);
    assertThat(contact.unreachable()).isFalse();
    contact.check();
    assertThat(consumer.offsetLookups()).as("the answer counts as contact").isEqualTo(1);
  }

  @Test
  void unansweredProbesAreRepeatedWithBackoffUntilTheLimitThenItGivesUp() {
    consumer.unreachable(true);
    clock.advance(KafkaContact.PROBE_AFTER);
    contact.check();
    assertThat(contact.unreachable()).isTrue();

    contact.check();
    assertThat(consumer.offsetLookups()).as("not again before the backoff").isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    contact.check();
    assertThat(consumer.offsetLookups()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    contact.check();
    assertThat(consumer.offsetLookups()).as("the second wait is twice the first").isEqualTo(2);

    clock.advance(Duration.ofSeconds(22)); // 29 s without an answer
    contact.check();
    assertThat(contact.unreachable()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(contact::check)
        .isInstanceOf(KafkaUnreachableException.class)
        .hasMessageContaining("30s")
        .hasMessageContaining("SINK_KAFKA_OUTAGE_LIMIT");
  }

  @Test
  void anAnswerBeforeTheLimitEndsTheOutage() {
    consumer.unreachable(true);
    clock.advance(Duration.ofSeconds(20));
    contact.check();
    assertThat(contact.unreachable()).isTrue();

    consumer.unreachable(false);
    clock.advance(Duration.ofSeconds(5));
    contact.check();

    assertThat(contact.unreachable()).isFalse();
    clock.advance(Duration.ofSeconds(20));
    contact.check(); // 45 s after the outage began, but Kafka answered in between
    assertThat(contact.unreachable()).isFalse();
  }
}
