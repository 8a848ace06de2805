package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.groupwarden.common.KubeDuration;

/**
 * Lag-driven scaling of the workload that consumes a policy's groups.
 *
 * @param targetRef the workload, scaled through its scale subresource
 * @param minReplicas the lower bound
 * @param maxReplicas the upper bound (never above the partition count)
 * @param lagPerReplica messages of lag each replica is expected to absorb
 * @param targetLagSeconds or the p95 lag in seconds to aim for
 * @param scaleDownStabilization how long lower demand must last before scaling down
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.lagPerReplica) != has(self.targetLagSeconds)",
    message = "set exactly one of spec.autoscale.lagPerReplica and spec.autoscale.targetLagSeconds")
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "spec.autoscale.minReplicas must not exceed spec.autoscale.maxReplicas")
public record AutoscaleSpec(
    @JsonPropertyDescription("The workload to scale.") @Required ScaleTargetRef targetRef,
    @JsonPropertyDescription("Fewest replicas. Default 1.") @Min(0) @Default("1")
        Integer minReplicas,
    @JsonPropertyDescription(
            "Most replicas. The operator never goes above the partition count of the groups'"
                + " topics either.")
        @Required
        @Min(1)
        Integer maxReplicas,
    @JsonPropertyDescription(
            "Messages of total lag per replica: desired = ceil(total lag / lagPerReplica).")
        @Min(1)
        Long lagPerReplica,
    @JsonPropertyDescription(
            "Target p95 lag in seconds: desired = ceil(current x p95 lag seconds /"
                + " targetLagSeconds).")
        @Min(0.001)
        Double targetLagSeconds,
    @JsonPropertyDescription(
            "How long the lower demand must last before replicas are removed, e.g. 5m. Default"
                + " 5m.")
        @Pattern(KubeDuration.PATTERN)
        @Default("5m")
        String scaleDownStabilization) {

  /**
   * The scaled workload.
   *
   * @param apiVersion its API version
   * @param kind Deployment, StatefulSet or MongoSink
   * @param name its name in the policy's namespace
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScaleTargetRef(
      @JsonPropertyDescription(
              "API version of the workload; apps/v1 for Deployment and StatefulSet,"
                  + " groupwarden.io/v1alpha1 for MongoSink. Derived from kind when absent.")
          String apiVersion,
      @JsonPropertyDescription("Kind of the workload.") @Required Kind kind,
      @JsonPropertyDescription("Name of the workload in the policy's namespace.") @Required
          String name) {}

  /** Kinds that can be scaled. */
  public enum Kind {
    Deployment,
    StatefulSet,
    MongoSink
  }
}
