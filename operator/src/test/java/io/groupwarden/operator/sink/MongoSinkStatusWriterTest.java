package io.groupwarden.operator.sink;

import static io.groupwarden.operator.sink.SinkObservations.SELECTOR;
import static io.groupwarden.operator.sink.SinkObservations.followsPartitions;
import static io.groupwarden.operator.sink.SinkObservations.observed;
import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MongoSinkStatusWriterTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.400Z");

  @Test
  void workersThatAreAllReadyAreRunningAndTheNumbersAreReported() {
    MongoSinkStatus status = MongoSinkStatusWriter.observed(null, 4, observed().build(), T0);

    assertThat(condition(status, "Ready").isTrue()).isTrue();
    assertThat(condition(status, "Ready").reason()).isEqualTo("Running");
    assertThat(condition(status, "Ready").message()).isEqualTo("3 of 3 workers ready");
    Condition scaling = condition(status, "Scaling");
    assertThat(scaling.status()).isEqualTo(Condition.FALSE);
    assertThat(scaling.reason()).isEqualTo("FollowsPartitions");
    assertThat(scaling.message()).isEqualTo("one worker per partition of orders");
    assertThat(status.observedGeneration()).isEqualTo(4);
    assertThat(status.partitions()).isEqualTo(3);
    assertThat(status.replicas()).isEqualTo(3);
    assertThat(status.readyReplicas()).isEqualTo(3);
    assertThat(status.desiredReplicas()).isEqualTo(3);
    assertThat(status.lag()).isEqualTo(42);
    assertThat(status.selector()).isEqualTo(SELECTOR);
    assertThat(status.bootstrapServers()).isEqualTo("k:9092");
    assertThat(status.lastScaleTime()).isNull();
  }

  @Test
  void fewerReadyWorkersThanDecidedAreStarting() {
    MongoSinkStatus status =
        MongoSinkStatusWriter.observed(null, 1, observed().ready(1).build(), T0);

    assertThat(condition(status, "Ready").status()).isEqualTo(Condition.FALSE);
    assertThat(condition(status, "Ready").reason()).isEqualTo("WorkersStarting");
    assertThat(condition(status, "Ready").message()).isEqualTo("1 of 3 workers ready");
  }

  @Test
  void aNewWorkerCountIsScalingAndStampsTheScaleTime() {
    MongoSinkStatus before =
        MongoSinkStatusWriter.observed(
            null,
            1,
            observed().asked(2).running(2).ready(2).decided(followsPartitions(2)).build(),
            T0);

    MongoSinkStatus after =
        MongoSinkStatusWriter.observed(
            before, 1, observed().asked(2).running(2).ready(2).build(), T0.plusSeconds(30));

    assertThat(condition(after, "Scaling").isTrue()).isTrue();
    assertThat(after.lastScaleTime()).isEqualTo("2026-11-24T10:00:30Z");
    assertThat(after.desiredReplicas()).isEqualTo(3);
    assertThat(after.replicas()).as("what runs, not what was decided").isEqualTo(2);
  }

  @Test
  void anUnchangedCountKeepsTheLastScaleTimeAndScalingStaysTrueUntilTheWorkersRun() {
    MongoSinkStatus scaled =
        MongoSinkStatusWriter.observed(
            null, 1, observed().asked(2).running(2).ready(2).build(), T0);

    MongoSinkStatus catchingUp =
        MongoSinkStatusWriter.observed(
            scaled, 1, observed().running(2).ready(2).build(), T0.plusSeconds(15));
    MongoSinkStatus settled =
        MongoSinkStatusWriter.observed(catchingUp, 1, observed().build(), T0.plusSeconds(30));

    assertThat(catchingUp.lastScaleTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(condition(catchingUp, "Scaling").isTrue()).isTrue();
    assertThat(settled.lastScaleTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(condition(settled, "Scaling").isTrue()).isFalse();
  }

  @Test
  void aFailureSaysWhyOnReadyAndKeepsWhatWasLastObserved() {
    MongoSinkStatus running = MongoSinkStatusWriter.observed(null, 1, observed().build(), T0);

    MongoSinkStatus failed =
        MongoSinkStatusWriter.failed(
            running,
            2,
            SELECTOR,
            "TopicNotFound",
            "spec.kafka.topic: topic orders does not exist",
            T0.plusSeconds(15));

    Condition ready = condition(failed, "Ready");
    assertThat(ready.status()).isEqualTo(Condition.FALSE);
    assertThat(ready.reason()).isEqualTo("TopicNotFound");
    assertThat(ready.message()).contains("orders");
    assertThat(ready.observedGeneration()).isEqualTo(2);
    assertThat(condition(failed, "Scaling")).isEqualTo(condition(running, "Scaling"));
    assertThat(failed.observedGeneration()).isEqualTo(2);
    assertThat(failed.partitions()).isEqualTo(3);
    assertThat(failed.desiredReplicas()).isEqualTo(3);
    assertThat(failed.lag()).isEqualTo(42);
    assertThat(failed.bootstrapServers()).isEqualTo("k:9092");
  }

  @Test
  void aFailureBeforeAnythingWasObservedStillReportsTheSelector() {
    MongoSinkStatus failed =
        MongoSinkStatusWriter.failed(
            null, 1, SELECTOR, "SecretNotFound", "spec.mongodb.uriSecretRef: missing", T0);

    assertThat(failed.selector()).as("the scale subresource needs it").isEqualTo(SELECTOR);
    assertThat(failed.partitions()).isNull();
    assertThat(failed.desiredReplicas()).isNull();
    assertThat(failed.conditions()).extracting(Condition::type).containsExactly("Ready");
  }
}
