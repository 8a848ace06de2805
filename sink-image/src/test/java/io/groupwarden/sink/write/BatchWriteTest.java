package io.groupwarden.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.config.OnStoreOutage;
import io.groupwarden.sink.document.RejectReason;
import io.groupwarden.sink.write.BatchWrite.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchWriteTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final RetryPolicy RETRY =
      new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(10));
  private static final List<String> ABCD = List.of("a", "b", "c", "d");

  private static BatchWrite<String> write(List<String> items, OnStoreOutage onOutage) {
    return new BatchWrite<>(items, RETRY, onOutage, T0);
  }

  /**
   * The batch is over: {@code stored} items written and exactly {@code deadLetters} turned away.
   */
  @SafeVarargs
  private static void assertFinished(
      BatchWrite<String> write, int stored, DeadLetter<String>... deadLetters) {
    assertThat(write.isDone()).isTrue();
    assertThat(write.stored()).isEqualTo(stored);
    assertThat(write.deadLetters()).containsExactly(deadLetters);
  }

  @Test
  void aCleanInsertFinishesTheBatch() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.PAUSE);
    assertThat(write.nextChunk()).isEqualTo(ABCD);

    write.record(InsertResult.Written.all(4), T0);

    assertFinished(write, 4);
  }

  @Test
  void duplicatesCountAsAlreadyStored() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.PAUSE);

    write.record(new InsertResult.Written(3, 1, Map.of()), T0);

    assertThat(write.isDone()).isTrue();
    assertThat(write.stored()).isEqualTo(3);
    assertThat(write.duplicates()).isEqualTo(1);
  }

  @Test
  void refusedDocumentsAreRetriedAloneWithBackoffThenDeadLettered() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.PAUSE);

    write.record(new InsertResult.Written(2, 0, Map.of(1, "121: invalid", 3, "121: invalid")), T0);
    assertThat(write.nextChunk()).containsExactly("b", "d");
    assertThat(write.nextAttemptAt()).isEqualTo(T0.plusSeconds(1));

    Instant t1 = T0.plusSeconds(1);
    write.record(new InsertResult.Written(1, 0, Map.of(1, "121: invalid")), t1);
    assertThat(write.nextChunk()).containsExactly("d");
    assertThat(write.nextAttemptAt()).isEqualTo(t1.plusSeconds(2));

    write.record(new InsertResult.Written(0, 0, Map.of(0, "121: invalid")), t1.plusSeconds(2));
    assertFinished(write, 3, new DeadLetter<>("d", RejectReason.STORE_REJECTED, "121: invalid"));
  }

  @Test
  void aRequestFailingAsAWholeIsRetriedThenSplitUntilTheCulpritIsAlone() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.PAUSE);
    InsertResult.Failed tooLarge = new InsertResult.Failed("10334: too large");

    write.record(tooLarge, T0);
    write.record(tooLarge, T0.plusSeconds(1));
    assertThat(write.nextChunk()).isEqualTo(ABCD);
    write.record(tooLarge, T0.plusSeconds(3));
    // retries spent: halves, tried once each without waiting
    assertThat(write.nextChunk()).containsExactly("a", "b");
    assertThat(write.nextAttemptAt()).isEqualTo(T0.plusSeconds(3));

    write.record(InsertResult.Written.all(2), T0.plusSeconds(3));
    assertThat(write.nextChunk()).containsExactly("c", "d");
    write.record(tooLarge, T0.plusSeconds(3));
    assertThat(write.nextChunk()).containsExactly("c");
    write.record(InsertResult.Written.all(1), T0.plusSeconds(3));
    assertThat(write.nextChunk()).containsExactly("d");
    write.record(tooLarge, T0.plusSeconds(3));

    assertFinished(
        write, 3, new DeadLetter<>("d", RejectReason.STORE_REJECTED, "10334: too large"));
  }

  @Test
  void anOutageInPauseModeIsWaitedOutWithoutLosingAnything() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.PAUSE);
    Instant now = T0;
    for (int i = 0; i < 20; i++) {
      write.record(new InsertResult.Unavailable("timeout"), now);
      assertThat(write.storeUnavailable()).isTrue();
      assertThat(write.nextChunk()).isEqualTo(ABCD);
      now = write.nextAttemptAt();
    }
    assertThat(write.waitingTime(now.minusSeconds(10))).isEqualTo(Duration.ofSeconds(10));

    write.record(InsertResult.Written.all(4), now);

    assertThat(write.storeUnavailable()).isFalse();
    assertFinished(write, 4);
  }

  @Test
  void anOutageInDeadLetterModeDeadLettersTheBatchAfterTheRetries() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.DEAD_LETTER);
    InsertResult.Unavailable down = new InsertResult.Unavailable("connection refused");

    write.record(down, T0);
    write.record(down, write.nextAttemptAt());
    assertThat(write.isDone()).isFalse();
    write.record(down, write.nextAttemptAt());

    assertThat(write.isDone()).isTrue();
    assertThat(write.deadLetters())
        .extracting(DeadLetter::item, DeadLetter::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", RejectReason.STORE_UNAVAILABLE),
            org.assertj.core.groups.Tuple.tuple("b", RejectReason.STORE_UNAVAILABLE),
            org.assertj.core.groups.Tuple.tuple("c", RejectReason.STORE_UNAVAILABLE),
            org.assertj.core.groups.Tuple.tuple("d", RejectReason.STORE_UNAVAILABLE));
  }

  @Test
  void itemsOfRevokedPartitionsAreDiscarded() {
    BatchWrite<String> write = write(ABCD, OnStoreOutage.PAUSE);
    write.record(new InsertResult.Unavailable("down"), T0);

    write.discard(item -> item.equals("b") || item.equals("c"));

    assertThat(write.nextChunk()).containsExactly("a", "d");
  }

  @Test
  void anEmptyBatchIsDoneAtOnce() {
    assertThat(write(List.of(), OnStoreOutage.PAUSE).isDone()).isTrue();
  }
}
