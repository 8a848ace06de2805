package io.groupwarden.operator.insight;

/**
 * The autoscaler's last decision for a policy, as its status holds it.
 *
 * @param target kind/name of the scaled workload
 * @param currentReplicas replicas of the workload when last read
 * @param desiredReplicas replicas the operator decided on
 * @param lastScaleTime when the operator last changed the replica count (RFC 3339), or null
 * @param message why the replica count is what it is
 */
public record AutoscaleDecision(
    String target,
    Integer currentReplicas,
    Integer desiredReplicas,
    String lastScaleTime,
    String message) {}
