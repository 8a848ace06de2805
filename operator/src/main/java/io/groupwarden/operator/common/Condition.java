package io.groupwarden.operator.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A status condition in the shape Kubernetes uses (metav1.Condition).
 *
 * @param type the aspect, e.g. Ready
 * @param status True, False or Unknown
 * @param reason one CamelCase word
 * @param message a sentence for people
 * @param lastTransitionTime when the status last changed (RFC 3339)
 * @param observedGeneration the generation the condition was computed for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @JsonPropertyDescription("Type of the condition, e.g. Ready.") String type,
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.") String status,
    @JsonPropertyDescription("Why the condition is in this status, as one CamelCase word.")
        String reason,
    @JsonPropertyDescription("Human-readable details.") String message,
    @JsonPropertyDescription("When the status last changed (RFC 3339).") String lastTransitionTime,
    @JsonPropertyDescription("The resource generation this condition was computed for.")
        Long observedGeneration) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  @JsonIgnore
  public boolean isTrue() {
    return TRUE.equals(status);
  }
}
