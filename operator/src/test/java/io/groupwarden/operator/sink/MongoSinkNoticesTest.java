package io.groupwarden.operator.sink;

import static io.groupwarden.operator.sink.SinkObservations.SELECTOR;
import static io.groupwarden.operator.sink.SinkObservations.followsPartitions;
import static io.groupwarden.operator.sink.SinkObservations.observed;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.sink.SinkScaling.Decision;
import io.groupwarden.operator.sink.SinkScaling.Reason;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MongoSinkNoticesTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final DeadLetterTopic EXISTED = DeadLetterTopic.existed("orders.dlq");

  private static MongoSinkStatus decided(MongoSinkStatus before, Decision decision) {
    int asked = before == null ? 0 : before.desiredReplicas();
    return MongoSinkStatusWriter.observed(
        before, 1, observed().asked(asked).running(asked).decided(decision).build(), T0);
  }

  @Test
  void aNewWorkerCountIsOneScaledEventThatSaysWhy() {
    MongoSinkStatus two = decided(null, followsPartitions(2));
    MongoSinkStatus four =
        decided(two, new Decision(4, Reason.ScaledUp, "lag 42 needs 4 workers", List.of()));

    assertThat(MongoSinkNotices.between(two, four, EXISTED))
        .containsExactly(
            Notice.normal(
                "Scaled",
                "scaled workers from 2 to 4 (ScaledUp, lag 42 messages on 3 partitions): "
                    + "lag 42 needs 4 workers"));
  }

  @Test
  void theFirstDecisionAndAnUnchangedCountAreNoEvent() {
    MongoSinkStatus first = decided(null, followsPartitions(3));
    MongoSinkStatus again = decided(first, followsPartitions(3));

    assertThat(MongoSinkNotices.between(null, first, EXISTED)).isEmpty();
    assertThat(MongoSinkNotices.between(first, again, EXISTED))
        .as("a restarted operator reads the stored status and repeats nothing")
        .isEmpty();
  }

  @Test
  void aFailedCycleIsNoScalingEvent() {
    MongoSinkStatus running = decided(null, followsPartitions(3));
    MongoSinkStatus failed =
        MongoSinkStatusWriter.failed(
            running, 1, SELECTOR, "KafkaUnreachable", "cannot read Kafka: timeout", T0);

    assertThat(MongoSinkNotices.between(running, failed, null)).isEmpty();
  }

  @Test
  void theDeadLetterTopicIsReportedWhenCreatedOrWhenItCouldNotBe() {
    MongoSinkStatus running = decided(null, followsPartitions(3));

    assertThat(MongoSinkNotices.between(running, running, DeadLetterTopic.created("orders.dlq")))
        .containsExactly(Notice.normal("DeadLetterTopic", "created dead-letter topic orders.dlq"));
    assertThat(
            MongoSinkNotices.between(
                running,
                running,
                DeadLetterTopic.notCreated("orders.dlq", "Authorization failed.")))
        .containsExactly(
            Notice.normal(
                "DeadLetterTopic",
                "could not create dead-letter topic orders.dlq: Authorization failed."));
    assertThat(MongoSinkNotices.between(running, running, EXISTED)).isEmpty();
  }
}
