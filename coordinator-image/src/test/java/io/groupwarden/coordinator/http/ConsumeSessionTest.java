package io.groupwarden.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How one consumer's records are shared by concurrent requests, as logic: kafka-clients'
 * MockConsumer, a hand-driven pool and clock. The real-broker behaviour is in HttpBoundsTest.
 */
@Timeout(30)
class ConsumeSessionTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final ArrayDeque<Runnable> pool = new ArrayDeque<>();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final ConsumeSession session =
      new ConsumeSession(
          new ConsumeSession.Key("g", "orders"), key -> consumer, pool::add, clock::get);

  private ConsumeSession.Waiter ask(int maxMessages, long maxBytes, long timeoutMs) {
    return session.enqueue(new ConsumeRequest("orders", "g", maxMessages, maxBytes, timeoutMs));
  }

  private void records(long from, long to, int valueBytes) {
    consumer.schedulePollTask(
        () -> {
          if (consumer.assignment().isEmpty()) {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            consumer.seek(P0, 0);
          }
          for (long offset = from; offset < to; offset++) {
            consumer.addRecord(
                new ConsumerRecord<>(
                    "orders",
                    0,
                    offset,
                    0L,
                    TimestampType.CREATE_TIME,
                    -1,
                    valueBytes,
                    null,
                    new byte[valueBytes],
                    new RecordHeaders(),
                    Optional.empty()));
          }
        });
  }

  private void round() {
    assertThat(pool).as("a round is queued").isNotEmpty();
    pool.poll().run();
  }

  private static List<Long> offsets(ConsumeSession.Waiter waiter) {
    assertThat(waiter.answer).as("answered").isCompleted();
    return waiter.answer.join().messages().stream().map(Message::offset).toList();
  }

  @Test
  void waitingRequestsAreFilledOldestFirstAndEachIsAnsweredCommittedByItsOwnDeadline() {
    ConsumeSession.Waiter first = ask(3, 1 << 20, 1_000);
    ConsumeSession.Waiter second = ask(3, 1 << 20, 1_000);
    ConsumeSession.Waiter third = ask(10, 1 << 20, 500);
    records(0, 7, 10);

    round();
    assertThat(offsets(first)).containsExactly(0L, 1L, 2L);
    assertThat(offsets(second)).containsExactly(3L, 4L, 5L);
    assertThat(third.answer).isNotDone();
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(6);

    clock.addAndGet(500); // the third request's timeout passes with one record of ten
    round();
    assertThat(offsets(third)).containsExactly(6L);
    assertThat(third.answer.join().success()).isTrue();
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(7);
    assertThat(pool).as("no round once nobody waits").isEmpty();
  }

  @Test
  void recordsBeyondWhatWasAskedForAreReadAgainLater() {
    ConsumeSession.Waiter small = ask(2, 1 << 20, 1_000);
    records(0, 5, 10);
    round();
    assertThat(offsets(small)).containsExactly(0L, 1L);
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(2);
    assertThat(consumer.position(P0)).as("rewound to the first record not returned").isEqualTo(2);
  }

  @Test
  void theByteBudgetStopsARequestButItsFirstRecordAlwaysFits() {
    ConsumeSession.Waiter tight = ask(100, 25, 1_000);
    ConsumeSession.Waiter tiny = ask(100, 1, 1_000);
    records(0, 4, 10);
    round();
    assertThat(offsets(tight)).as("two of 10 bytes fit in 25").containsExactly(0L, 1L);
    assertThat(offsets(tiny)).as("one record even above the budget").containsExactly(2L);
    assertThat(consumer.position(P0)).isEqualTo(3);
  }

  @Test
  void anUnusedSessionCanBeClosedAndOneInUseCannot() {
    ConsumeSession.Waiter waiting = ask(1, 1 << 20, 1_000);
    assertThat(session.closeIfUnused()).isFalse();
    records(0, 1, 10);
    round();
    assertThat(offsets(waiting)).containsExactly(0L);
    assertThat(session.idleSinceMs()).isEqualTo(clock.get());
    assertThat(session.closeIfUnused()).isTrue();
    session.closeConsumer();
    assertThat(consumer.closed()).isTrue();
  }
}
