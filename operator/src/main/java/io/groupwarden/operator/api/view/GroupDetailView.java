package io.groupwarden.operator.api.view;

import java.time.Instant;

/**
 * {@code GET /api/v1/consumers/groups/{group}}, and each message of the group's live feed.
 *
 * @param cluster {@code namespace/policy}
 * @param evaluatedAt when the group was sampled
 * @param health {@code HEALTHY}, {@code WARNING} or {@code CRITICAL}
 */
public record GroupDetailView(
    String cluster, Instant evaluatedAt, String health, GroupView group) {}
