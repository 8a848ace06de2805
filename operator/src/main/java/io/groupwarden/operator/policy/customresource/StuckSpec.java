package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.groupwarden.common.KubeDuration;

/**
 * Stuck-partition detection.
 *
 * @param window how long a partition must make no progress to count as stuck
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StuckSpec(
    @JsonPropertyDescription(
            "A partition is stuck when its lag stayed above 0 for this long while its committed"
                + " offset did not advance and its log end did. Default 5m.")
        @Pattern(KubeDuration.PATTERN)
        @Default("5m")
        String window) {}
