package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.groupwarden.common.KubeDuration;

/**
 * Rebalance stability.
 *
 * @param minScore the lowest acceptable score
 * @param window the window rebalances are counted over
 * @param maxRebalances rebalances in the window that bring the score to 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebalanceSpec(
    @JsonPropertyDescription(
            "Lowest acceptable rebalance score, where score = max(0, 100 - 100 x rebalances /"
                + " maxRebalances). Default 70.")
        @Min(0)
        @Max(100)
        @Default("70")
        Integer minScore,
    @JsonPropertyDescription("Window rebalances are counted over, e.g. 1h. Default 1h.")
        @Pattern(KubeDuration.PATTERN)
        @Default("1h")
        String window,
    @JsonPropertyDescription(
            "Number of rebalances within the window that brings the score to 0. Default 10.")
        @Min(1)
        @Default("10")
        Integer maxRebalances) {}
