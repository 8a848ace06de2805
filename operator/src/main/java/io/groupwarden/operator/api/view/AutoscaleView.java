package io.groupwarden.operator.api.view;

import io.groupwarden.operator.insight.AutoscaleDecision;

/**
 * The autoscaler's last decision for the policy: the workload it scales, its replicas when last
 * read, the count decided on, when it last changed it, and why.
 */
public record AutoscaleView(
    String target,
    Integer currentReplicas,
    Integer desiredReplicas,
    String lastScaleTime,
    String message) {
  public static AutoscaleView of(AutoscaleDecision d) {
    return d == null
        ? null
        : new AutoscaleView(
            d.target(), d.currentReplicas(), d.desiredReplicas(), d.lastScaleTime(), d.message());
  }
}
