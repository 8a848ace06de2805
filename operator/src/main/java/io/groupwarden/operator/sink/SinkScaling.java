package io.groupwarden.operator.sink;

import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.governance.PolicySettings.Autoscale;
import io.groupwarden.operator.governance.ReplicaEstimator;
import io.groupwarden.operator.governance.ScaleBounds;
import io.groupwarden.operator.governance.ScaleDecider;
import io.groupwarden.operator.governance.ScaleDecider.ScaleDecision;
import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.SinkAutoscaleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How many workers a sink runs: a fixed {@code spec.replicas} (capped at the partition count), a
 * lag-driven count within the autoscale bounds, or one per partition.
 */
final class SinkScaling {
  private SinkScaling() {}

  /** Why the worker count is what it is; the Scaling condition's reason. */
  enum Reason {
    Fixed,
    CappedAtPartitions,
    FollowsPartitions,
    ScaledUp,
    ScaledDown,
    Stabilizing,
    Unchanged
  }

  /**
   * A decision.
   *
   * @param replicas workers to run
   * @param reason why
   * @param message one sentence
   * @param recommendations autoscale history to pass to the next decision
   */
  record Decision(
      int replicas, Reason reason, String message, List<TimedReplicas> recommendations) {}

  static Decision decide(
      MongoSinkSpec spec,
      int partitions,
      long lag,
      int current,
      List<TimedReplicas> history,
      Instant now) {
    if (spec.replicas() != null) {
      int replicas = Math.min(spec.replicas(), partitions);
      if (spec.replicas() > partitions) {
        return new Decision(
            replicas,
            Reason.CappedAtPartitions,
            "spec.replicas is "
                + spec.replicas()
                + " but topic "
                + spec.kafka().topic()
                + " has "
                + partitions
                + " partitions; running "
                + replicas
                + " (more workers than partitions would sit idle)",
            List.of());
      }
      return new Decision(replicas, Reason.Fixed, "spec.replicas asks for " + replicas, List.of());
    }
    SinkAutoscaleSpec autoscale = spec.autoscale();
    if (autoscale == null) {
      return new Decision(
          partitions,
          Reason.FollowsPartitions,
          "one worker per partition of " + spec.kafka().topic(),
          List.of());
    }
    int min = autoscale.minReplicas() == null ? 1 : autoscale.minReplicas();
    Duration stabilization =
        KubeDuration.parseOr(autoscale.scaleDownStabilization(), Duration.ofMinutes(5));
    ReplicaEstimator.Estimate estimate =
        ReplicaEstimator.fromAutoscale(
            new Autoscale(
                min, autoscale.maxReplicas(), autoscale.lagPerReplica(), null, stabilization),
            current,
            lag,
            null,
            partitions);
    ScaleDecision decision =
        ScaleDecider.decide(
            current,
            estimate.replicas(),
            new ScaleBounds(min, autoscale.maxReplicas(), partitions),
            history,
            stabilization,
            now);
    Reason reason =
        switch (decision.reason()) {
          case SCALE_UP -> Reason.ScaledUp;
          case SCALE_DOWN -> Reason.ScaledDown;
          case STABILIZING -> Reason.Stabilizing;
          case UNCHANGED -> Reason.Unchanged;
        };
    return new Decision(
        decision.replicas(), reason, decision.message(), decision.recommendations());
  }
}
