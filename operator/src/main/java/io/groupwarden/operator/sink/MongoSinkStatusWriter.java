package io.groupwarden.operator.sink;

import static io.groupwarden.operator.common.ConditionedStatus.conditionsOf;

import io.groupwarden.operator.common.Conditions;
import io.groupwarden.operator.common.Rfc3339;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import java.time.Instant;

/** Builds a sink's status from what a cycle observed, or from a failure: a pure function. */
final class MongoSinkStatusWriter {
  static final String READY = Conditions.READY;
  static final String SCALING = "Scaling";
  static final String RUNNING = "Running";
  static final String WORKERS_STARTING = "WorkersStarting";

  private MongoSinkStatusWriter() {}

  /**
   * The status after a cycle that read the topic and decided the worker count.
   *
   * @param before the status before, or null
   * @param generation the spec generation reconciled
   * @param observed what the cycle read and decided
   * @param now the cycle's time
   */
  static MongoSinkStatus observed(
      MongoSinkStatus before, long generation, SinkObservation observed, Instant now) {
    SinkScaling.Decision decision = observed.decision();
    int desired = decision.replicas();
    Conditions conditions = new Conditions(conditionsOf(before), generation, now);
    String readiness = observed.readyReplicas() + " of " + desired + " workers ready";
    if (observed.readyReplicas() >= desired) {
      conditions.isTrue(READY, RUNNING, readiness);
    } else {
      conditions.isFalse(READY, WORKERS_STARTING, readiness);
    }
    boolean scaling =
        desired != observed.currentReplicas() || observed.runningReplicas() != desired;
    conditions.set(SCALING, scaling, decision.reason().name(), decision.message());
    String lastScaleTime =
        desired != observed.currentReplicas()
            ? Rfc3339.seconds(now)
            : before == null ? null : before.lastScaleTime();
    return new MongoSinkStatus(
        generation,
        conditions.build(),
        observed.partitions(),
        observed.runningReplicas(),
        observed.readyReplicas(),
        desired,
        observed.lag(),
        lastScaleTime,
        observed.selector(),
        observed.bootstrapServers());
  }

  /**
   * The status when the sink could not be reconciled: Ready=False with the reason; the Scaling
   * condition and the last observed numbers are kept for reference.
   */
  static MongoSinkStatus failed(
      MongoSinkStatus before,
      long generation,
      String selector,
      String reason,
      String message,
      Instant now) {
    Conditions conditions =
        Conditions.notReady(conditionsOf(before), generation, now, reason, message);
    Conditions.find(conditionsOf(before), SCALING).ifPresent(conditions::copy);
    if (before == null) {
      return new MongoSinkStatus(
          generation, conditions.build(), null, null, null, null, null, null, selector, null);
    }
    return new MongoSinkStatus(
        generation,
        conditions.build(),
        before.partitions(),
        before.replicas(),
        before.readyReplicas(),
        before.desiredReplicas(),
        before.lag(),
        before.lastScaleTime(),
        selector,
        before.bootstrapServers());
  }
}
