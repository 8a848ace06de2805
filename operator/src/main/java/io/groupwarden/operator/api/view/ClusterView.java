package io.groupwarden.operator.api.view;

import java.time.Instant;
import java.util.Map;

/**
 * One governed cluster: a ConsumerGroupPolicy and its groups at a glance.
 *
 * @param cluster {@code namespace/policy}
 * @param evaluatedAt when the groups were last sampled
 * @param groups governed groups
 * @param health the worst group's health: {@code HEALTHY}, {@code WARNING} or {@code CRITICAL}
 * @param groupsByHealth how many groups are in each health, every class named
 * @param groupsByState how many groups are in each broker state
 * @param totalLag lag in messages over every group
 * @param worstCompliance the lowest SLO compliance of any group; null when none is known
 * @param stuckPartitions stuck partitions over every group
 * @param members members over every group
 * @param slo what the groups are judged by; null when not known
 * @param servedFrom {@code LEADER} or {@code SNAPSHOT}
 * @param autoscale the autoscaler's last decision; null when the policy does not scale
 */
public record ClusterView(
    String cluster,
    Instant evaluatedAt,
    int groups,
    String health,
    Map<String, Integer> groupsByHealth,
    Map<String, Integer> groupsByState,
    long totalLag,
    Double worstCompliance,
    int stuckPartitions,
    int members,
    SloTargetView slo,
    String servedFrom,
    AutoscaleView autoscale) {}
