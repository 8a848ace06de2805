package io.groupwarden.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.fakes.MutableClock;
import io.groupwarden.sink.fakes.RecordingConsumer;
import io.groupwarden.sink.fakes.RecordingConsumer.Commit;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitSchedulerTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingConsumer consumer = new RecordingConsumer();
  private final AtomicInteger accepted = new AtomicInteger();
  private final CommitScheduler commits =
      new CommitScheduler(
          consumer, 10, Duration.ofSeconds(5), new SinkMetrics(), clock, accepted::incrementAndGet);

  private void resolve(TopicPartition partition, long from, int count) {
    for (long offset = from; offset < from + count; offset++) {
      commits.resolved(partition, offset);
    }
  }

  @Test
  void commitsOnceCommitEveryMessagesAreResolvedAndNotBefore() {
    resolve(P0, 0, 9);
    commits.commitIfDue(false);
    assertThat(consumer.commits()).isEmpty();

    resolve(P0, 9, 1);
    commits.commitIfDue(false);

    assertThat(consumer.commits()).containsExactly(new Commit(false, Map.of(P0, 10L)));
    assertThat(accepted).hasValue(1);
  }

  @Test
  void commitsWhatThereIsWhenIdleOrWhenTheIntervalIsOver() {
    resolve(P0, 0, 3);
    commits.commitIfDue(true);
    assertThat(consumer.committedOffsets()).containsEntry(P0, 3L);

    resolve(P1, 0, 2);
    commits.commitIfDue(false);
    assertThat(consumer.commits()).hasSize(1);
    clock.advance(Duration.ofSeconds(5));
    commits.commitIfDue(false);
    assertThat(consumer.commits()).last().isEqualTo(new Commit(false, Map.of(P1, 2L)));
  }

  @Test
  void sendsTheNextCommitOnlyWhenTheOneInFlightHasComeBack() {
    consumer.holdAsyncCommits();
    resolve(P0, 0, 10);
    commits.commitIfDue(false);
    resolve(P0, 10, 10);
    commits.commitIfDue(false);
    assertThat(commits.asyncInFlight()).isTrue();
    assertThat(consumer.commits()).hasSize(1);

    consumer.completeAsync();
    commits.commitIfDue(false);

    assertThat(consumer.commits())
        .containsExactly(new Commit(false, Map.of(P0, 10L)), new Commit(false, Map.of(P0, 20L)));
  }

  @Test
  void aFailedCommitKeepsTheOffsetsForTheNextOne() {
    consumer.unreachable(true);
    resolve(P0, 0, 10);
    commits.commitIfDue(false);
    commits.commitAll();
    assertThat(consumer.committedOffsets()).isEmpty();
    assertThat(accepted).hasValue(0);
    assertThat(commits.uncommitted()).containsEntry(P0, 10L);

    consumer.unreachable(false);
    commits.commitIfDue(true);

    assertThat(consumer.committedOffsets()).containsEntry(P0, 10L);
    assertThat(commits.uncommitted()).isEmpty();
  }

  @Test
  void revocationCommitsOnlyTheRevokedPartitionsSynchronouslyAndForgetsThem() {
    resolve(P0, 0, 4);
    resolve(P1, 0, 6);

    commits.commitAndForget(List.of(P0));

    assertThat(consumer.commits()).containsExactly(new Commit(true, Map.of(P0, 4L)));
    assertThat(commits.uncommitted()).containsOnlyKeys(P1);
    commits.forget(List.of(P1));
    assertThat(commits.uncommitted()).isEmpty();
  }
}
