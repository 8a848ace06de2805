package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The fairness bound.
 *
 * @param maxGini the largest acceptable Gini coefficient of partitions per member
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FairnessSpec(
    @JsonPropertyDescription(
            "Largest acceptable Gini coefficient (0 = even, 1 = all on one member) of partitions"
                + " per member. Default 0.3.")
        @Min(0)
        @Max(1)
        @Default("0.3")
        Double maxGini) {}
