package io.groupwarden.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  @Test
  void theCommittableOffsetIsOnePastTheLastResolvedMessage() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.resolved(P0, 0);
    tracker.resolved(P0, 1);
    tracker.resolved(P1, 7);

    assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 2L, P1, 8L));
    assertThat(tracker.resolvedSinceCommit()).isEqualTo(3);
  }

  @Test
  void committedOffsetsAreNotCommittedAgain() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.resolved(P0, 4);
    tracker.committed(Map.of(P0, 5L));

    assertThat(tracker.hasUncommitted()).isFalse();
    assertThat(tracker.resolvedSinceCommit()).isZero();
  }

  @Test
  void progressMadeDuringACommitIsKept() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.resolved(P0, 4);
    Map<TopicPartition, Long> sent = tracker.uncommitted();
    tracker.resolved(P0, 5);
    tracker.committed(sent);

    assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 6L));
  }

  @Test
  void revokedPartitionsAreForgotten() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.resolved(P0, 1);
    tracker.resolved(P1, 1);

    assertThat(tracker.uncommitted(List.of(P1))).isEqualTo(Map.of(P1, 2L));
    tracker.forget(List.of(P1));
    assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 2L));
  }

  @Test
  void messagesResolvedAfterACommitIsSentCountTowardsTheNextOne() {
    OffsetTracker tracker = new OffsetTracker();
    TopicPartition p = new TopicPartition("t", 0);
    tracker.resolved(p, 0);
    tracker.resolved(p, 1);
    Map<TopicPartition, Long> sent = tracker.uncommitted();
    tracker.commitSent();
    tracker.resolved(p, 2);

    tracker.committed(sent);

    assertThat(tracker.resolvedSinceCommit()).isEqualTo(1);
    assertThat(tracker.uncommitted()).containsEntry(p, 3L);
  }
}
