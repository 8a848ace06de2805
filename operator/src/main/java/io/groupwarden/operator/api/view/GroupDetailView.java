package io.groupwarden.operator.api.view;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/consumers/groups/{group}}, and the {@code group} messages of the group's live
 * feed. New numbers of the evaluation go into {@link GroupView}; what the group is besides its
 * numbers (members, settings, changes, events) sits beside it here.
 *
 * @param cluster {@code namespace/policy}
 * @param evaluatedAt when the group was sampled
 * @param health {@code HEALTHY}, {@code WARNING} or {@code CRITICAL}
 * @param group the evaluation
 * @param memberDetails every member with its assignment
 * @param slo what the group is judged by; null when not known
 * @param changes recent membership and state changes, oldest first
 * @param events recent Kubernetes Events about the policy, newest first
 * @param servedFrom {@code LEADER} (this replica evaluated it) or {@code SNAPSHOT} (a standby
 *     replica serving the leader's last snapshot)
 * @param autoscale the policy's autoscaler's last decision; null when the policy does not scale
 */
public record GroupDetailView(
    String cluster,
    Instant evaluatedAt,
    String health,
    GroupView group,
    List<MemberView> memberDetails,
    SloTargetView slo,
    List<ChangeView> changes,
    List<EventView> events,
    String servedFrom,
    AutoscaleView autoscale) {}
