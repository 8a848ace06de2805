package io.groupwarden.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A producer's requests run one after another; other producers' do not wait for them. */
class ProducerTurnsTest {
  private final ProducerTurns turns = new ProducerTurns();
  private final List<String> started = new ArrayList<>();

  private CompletableFuture<String> step(String name, CompletableFuture<String> result) {
    started.add(name);
    return result;
  }

  /** However the first request ends, the producer's next one starts only then. */
  @ParameterizedTest(name = "first fails: {0}")
  @ValueSource(booleans = {false, true})
  void aProducersNextRequestWaitsUntilTheFirstIsDone(boolean firstFails) {
    CompletableFuture<String> firstResult = new CompletableFuture<>();
    CompletableFuture<String> first = turns.next(7, () -> step("first", firstResult));
    CompletableFuture<String> second =
        turns.next(7, () -> step("second", CompletableFuture.completedFuture("two")));

    assertThat(started).containsExactly("first");
    assertThat(second).isNotDone();

    if (firstFails) {
      firstResult.completeExceptionally(new IllegalStateException("fenced"));
    } else {
      firstResult.complete("one");
    }

    assertThat(started).containsExactly("first", "second");
    assertThat(first).isDone();
    assertThat(first.isCompletedExceptionally()).isEqualTo(firstFails);
    assertThat(second).isCompletedWithValue("two");
  }

  @Test
  void anotherProducerDoesNotWait() {
    turns.next(7, () -> step("first of 7", new CompletableFuture<>()));
    CompletableFuture<String> other =
        turns.next(8, () -> step("first of 8", CompletableFuture.completedFuture("eight")));

    assertThat(started).containsExactly("first of 7", "first of 8");
    assertThat(other).isCompletedWithValue("eight");
  }

  @Test
  void aProducerWhoseRequestsAreDoneStartsAtOnce() {
    turns.next(7, () -> step("first", CompletableFuture.completedFuture("one")));
    CompletableFuture<String> later =
        turns.next(7, () -> step("later", CompletableFuture.completedFuture("two")));

    assertThat(started).containsExactly("first", "later");
    assertThat(later).isCompletedWithValue("two");
  }
}
