package io.groupwarden.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Thread naming and stopping shared by the broker's executors. */
class DaemonThreadsTest {
  /** Keeps the executor's thread busy until {@code latch} opens. */
  private static void busyUntil(ExecutorService executor, CountDownLatch latch) {
    executor.execute(
        () -> {
          try {
            latch.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  @Test
  void numberedThreadsAreDaemonsNamedInOrder() {
    ThreadFactory factory = DaemonThreads.numbered("http-messages");
    Thread first = factory.newThread(() -> {});
    Thread second = factory.newThread(() -> {});

    assertThat(first.getName()).isEqualTo("http-messages-1");
    assertThat(second.getName()).isEqualTo("http-messages-2");
    assertThat(first.isDaemon()).isTrue();
    assertThat(second.isDaemon()).isTrue();
  }

  @Test
  void stopLetsQueuedTasksFinish() {
    ExecutorService executor = DaemonThreads.single("stop-test");
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean ranLast = new AtomicBoolean();
    busyUntil(executor, release);
    executor.execute(() -> ranLast.set(true));
    release.countDown();

    assertThat(DaemonThreads.stop(executor)).isTrue();
    assertThat(executor.isTerminated()).isTrue();
    assertThat(ranLast).isTrue();
  }

  @Test
  void anInterruptedStopSaysSoAndKeepsTheInterrupt() throws InterruptedException {
    ExecutorService executor = DaemonThreads.single("stop-interrupted-test");
    CountDownLatch never = new CountDownLatch(1);
    busyUntil(executor, never);
    Thread.currentThread().interrupt();
    try {
      assertThat(DaemonThreads.stop(executor)).isFalse();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
      executor.shutdownNow();
    }
  }
}
