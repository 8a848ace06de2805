package io.groupwarden.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FuturesTest {
  @Test
  void anAnswerInTimeIsReturned() throws Exception {
    assertThat(
            Futures.get(
                CompletableFuture.completedFuture("ok"),
                Duration.ofSeconds(1),
                IllegalStateException::new))
        .isEqualTo("ok");
  }

  @Test
  void noAnswerInTimeIsTheCallersFailureNamingTheTimeout() {
    assertThatThrownBy(
            () ->
                Futures.get(
                    new CompletableFuture<String>(),
                    Duration.ofMillis(50),
                    IllegalStateException::new))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no answer within 50ms")
        .hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void aFailedFutureStaysAnExecutionException() {
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new ArithmeticException());
    assertThatThrownBy(() -> Futures.get(failed, Duration.ofSeconds(1), IllegalStateException::new))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ArithmeticException.class);
  }

  @Test
  void anInterruptedWaitIsTheCallersFailureAndTheInterruptIsKept() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  Futures.get(
                      new CompletableFuture<String>(),
                      Duration.ofSeconds(10),
                      IllegalStateException::new))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
