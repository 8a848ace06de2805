package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;

/**
 * The one action to take.
 *
 * @param action e.g. {@code SCALE_OUT}, {@code INSPECT_STUCK_PARTITION}, {@code NONE}
 * @param desiredReplicas the count to scale to, or null when the action is not scaling
 */
public record RecommendationView(String action, String message, Integer desiredReplicas) {
  static RecommendationView of(Recommendation r) {
    return new RecommendationView(r.action().name(), r.message(), r.desiredReplicas());
  }
}
