package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;

/**
 * What to do about a group.
 *
 * @param action the first finding's kind of action, e.g. {@code SCALE_OUT}, {@code
 *     INSPECT_STUCK_PARTITION}, {@code NONE}
 * @param message the sentence status shows: the first finding and the other actions
 * @param desiredReplicas the count to scale to, or null when the action is not scaling
 * @param fullText every finding's sentence (what to do, then why), most severe first
 */
public record RecommendationView(
    String action, String message, Integer desiredReplicas, String fullText) {
  static RecommendationView of(Recommendation r) {
    return new RecommendationView(
        r.action().name(), r.message(), r.desiredReplicas(), r.fullText());
  }
}
