package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.groupwarden.common.KubeDuration;
import java.util.List;

/**
 * The desired governance of a ConsumerGroupPolicy.
 *
 * @param kafka the cluster: an existing one or a managed coordinator broker
 * @param groups the group ids to govern
 * @param groupPattern or a regular expression group ids must match
 * @param topics only these topics count; all the groups' topics when empty
 * @param slo the lag objective
 * @param fairness the partition fairness bound
 * @param stuck stuck-partition detection
 * @param rebalance rebalance stability
 * @param interval the evaluation period
 * @param autoscale lag-driven scaling of the consuming workload, optional
 * @param recoveryTime how long a problem must stay resolved before its condition clears
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.groups) != has(self.groupPattern)",
    message = "set exactly one of spec.groups and spec.groupPattern")
public record ConsumerGroupPolicySpec(
    @JsonPropertyDescription("The Kafka cluster the groups live on.") @Required
        PolicyKafkaSpec kafka,
    @JsonPropertyDescription("Ids of the consumer groups to govern.") @Size(min = 1)
        List<String> groups,
    @JsonPropertyDescription(
            "Regular expression (Java syntax) that group ids must match entirely; every matching"
                + " consumer group is governed.")
        @Size(min = 1)
        String groupPattern,
    @JsonPropertyDescription(
            "Only these topics count towards lag, fairness and coverage. All topics a group"
                + " consumes or has offsets for when empty.")
        List<String> topics,
    @JsonPropertyDescription("The lag service-level objective.") SloSpec slo,
    @JsonPropertyDescription("How evenly partitions must be spread over members.")
        FairnessSpec fairness,
    @JsonPropertyDescription("When a partition counts as stuck.") StuckSpec stuck,
    @JsonPropertyDescription("How many rebalances are tolerable.") RebalanceSpec rebalance,
    @JsonPropertyDescription(
            "How often the groups are sampled and evaluated, e.g. 30s. Default 30s.")
        @Pattern(KubeDuration.PATTERN)
        @Default("30s")
        String interval,
    @JsonPropertyDescription(
            "Scale the workload that consumes the groups on lag. Without it the operator only"
                + " recommends.")
        AutoscaleSpec autoscale,
    @JsonPropertyDescription(
            "How long a problem (SLO violation, stuck partition, records lost or at risk,"
                + " unstable or unfair group) must stay resolved before its condition clears and"
                + " a recovery Event is recorded, so that alerts do not flap. Default: the"
                + " problem's window (slo.window, stuck.window, rebalance.window; slo.window for"
                + " the others), at most 5m.")
        @Pattern(KubeDuration.PATTERN)
        String recoveryTime) {}
