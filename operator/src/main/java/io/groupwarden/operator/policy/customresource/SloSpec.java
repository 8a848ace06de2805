package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.groupwarden.common.KubeDuration;

/**
 * The lag objective: each partition's p95 lag over the window within a bound, for a share of the
 * partitions.
 *
 * @param maxLagP95 the bound in time (default 1s)
 * @param maxLagP95Messages or the bound in messages
 * @param complianceTarget the share of partitions that must meet it
 * @param window the window the p95 is taken over
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.maxLagP95) && has(self.maxLagP95Messages))",
    message = "set at most one of spec.slo.maxLagP95 and spec.slo.maxLagP95Messages")
public record SloSpec(
    @JsonPropertyDescription(
            "Bound on each partition's p95 lag in time over the window, e.g. 1s. Default 1s unless"
                + " maxLagP95Messages is set.")
        @Pattern(KubeDuration.PATTERN)
        String maxLagP95,
    @JsonPropertyDescription("Bound on each partition's p95 lag in messages, instead of in time.")
        @Min(0)
        Long maxLagP95Messages,
    @JsonPropertyDescription(
            "Share of partitions (0 to 1) that must meet the bound for the group to be compliant."
                + " Default 0.95.")
        @Min(0)
        @Max(1)
        @Default("0.95")
        Double complianceTarget,
    @JsonPropertyDescription("Window the p95 is taken over, e.g. 10m. Default 10m.")
        @Pattern(KubeDuration.PATTERN)
        @Default("10m")
        String window) {}
