package io.groupwarden.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.document.MappedValue;
import io.groupwarden.sink.fakes.MutableClock;
import io.groupwarden.sink.kafka.InboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class PendingMessagesTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final PendingMessages pending = new PendingMessages(3, Duration.ofMillis(100), clock);

  private static InboundMessage message(int partition, long offset) {
    return new InboundMessage(
        "orders",
        partition,
        offset,
        null,
        new byte[0],
        new RecordHeaders(),
        new MappedValue.Stored(new BsonDocument()));
  }

  @Test
  void aBatchIsReadyWhenFullQuietLingeredOrFinishing() {
    assertThat(pending.ready(true, true)).as("nothing to write").isFalse();
    pending.add(message(0, 0));
    assertThat(pending.ready(false, false)).isFalse();
    assertThat(pending.ready(false, true)).as("the stream is quiet").isTrue();
    assertThat(pending.ready(true, false)).as("finishing").isTrue();

    clock.advance(Duration.ofMillis(60));
    assertThat(pending.lingerLeft()).isEqualTo(Duration.ofMillis(40));
    clock.advance(Duration.ofMillis(40));
    assertThat(pending.ready(false, false)).as("lingered long enough").isTrue();

    pending.add(message(0, 1));
    pending.add(message(0, 2));
    assertThat(pending.full()).isTrue();
  }

  @Test
  void takesAtMostABatchInReadingOrderAndTheRestLingersAfresh() {
    for (int i = 0; i < 5; i++) {
      pending.add(message(0, i));
    }
    clock.advance(Duration.ofSeconds(1));

    assertThat(pending.takeBatch()).extracting(InboundMessage::offset).containsExactly(0L, 1L, 2L);

    assertThat(pending.size()).isEqualTo(2);
    assertThat(pending.ready(false, false)).isFalse();
    assertThat(pending.lingerLeft()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void dropsTheMessagesOfPartitionsThatAreGone() {
    pending.add(message(0, 0));
    pending.add(message(1, 0));
    pending.add(message(0, 1));

    pending.drop(Set.of(new TopicPartition("orders", 0)));

    assertThat(pending.takeBatch()).extracting(InboundMessage::partition).containsExactly(1);
    pending.drop(Set.of(new TopicPartition("orders", 1)));
    assertThat(pending.isEmpty()).isTrue();
  }
}
