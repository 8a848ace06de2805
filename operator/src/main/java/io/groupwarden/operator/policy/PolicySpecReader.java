package io.groupwarden.operator.policy;

import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.PolicySettings.Autoscale;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.policy.customresource.AutoscaleSpec;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicySpec;
import io.groupwarden.operator.policy.customresource.FairnessSpec;
import io.groupwarden.operator.policy.customresource.RebalanceSpec;
import io.groupwarden.operator.policy.customresource.SloSpec;
import io.groupwarden.operator.policy.customresource.StuckSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a policy spec into the values the engine works with, applying the defaults of
 * shared/DESIGN.md. Whatever the schema let through but cannot be used becomes a {@link
 * SpecProblem} naming the field.
 */
final class PolicySpecReader {
  private PolicySpecReader() {}

  static PolicySettings settings(ConsumerGroupPolicySpec spec) {
    PolicySettings defaults = PolicySettings.defaults();
    SloSpec slo = orEmpty(spec.slo(), () -> new SloSpec(null, null, null, null));
    FairnessSpec fairness = orEmpty(spec.fairness(), () -> new FairnessSpec(null));
    StuckSpec stuck = orEmpty(spec.stuck(), () -> new StuckSpec(null));
    RebalanceSpec rebalance = orEmpty(spec.rebalance(), () -> new RebalanceSpec(null, null, null));

    Duration interval = duration(spec.interval(), defaults.interval(), "spec.interval");
    if (interval.toMillis() < 1000) {
      throw SpecProblem.invalid("spec.interval", "must be at least 1s");
    }
    if (slo.maxLagP95() != null && slo.maxLagP95Messages() != null) {
      throw SpecProblem.invalid("spec.slo", "set at most one of maxLagP95 and maxLagP95Messages");
    }
    Duration maxLag =
        slo.maxLagP95Messages() != null
            ? null
            : duration(slo.maxLagP95(), defaults.maxLagP95(), "spec.slo.maxLagP95");
    return new PolicySettings(
        interval,
        maxLag,
        slo.maxLagP95Messages(),
        fraction(slo.complianceTarget(), defaults.complianceTarget(), "spec.slo.complianceTarget"),
        duration(slo.window(), defaults.sloWindow(), "spec.slo.window"),
        fraction(fairness.maxGini(), defaults.maxGini(), "spec.fairness.maxGini"),
        duration(stuck.window(), defaults.stuckWindow(), "spec.stuck.window"),
        value(rebalance.minScore(), defaults.minRebalanceScore()),
        duration(rebalance.window(), defaults.rebalanceWindow(), "spec.rebalance.window"),
        positive(
            rebalance.maxRebalances(), defaults.maxRebalances(), "spec.rebalance.maxRebalances"),
        autoscale(spec.autoscale()),
        spec.recoveryTime() == null
            ? null
            : duration(spec.recoveryTime(), null, "spec.recoveryTime"));
  }

  static GroupSelector selector(ConsumerGroupPolicySpec spec) {
    boolean hasGroups = spec.groups() != null && !spec.groups().isEmpty();
    boolean hasPattern = spec.groupPattern() != null && !spec.groupPattern().isBlank();
    if (hasGroups == hasPattern) {
      throw SpecProblem.invalid("spec.groups", "set exactly one of groups and groupPattern");
    }
    List<String> topics = spec.topics() == null ? List.of() : spec.topics();
    if (hasGroups) {
      return new GroupSelector(spec.groups(), null, new HashSet<>(topics));
    }
    try {
      return new GroupSelector(
          List.of(), Pattern.compile(spec.groupPattern()), new HashSet<>(topics));
    } catch (PatternSyntaxException e) {
      throw SpecProblem.invalid(
          "spec.groupPattern",
          "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  private static Autoscale autoscale(AutoscaleSpec spec) {
    if (spec == null) {
      return null;
    }
    int min = value(spec.minReplicas(), 1);
    if (spec.maxReplicas() == null || spec.maxReplicas() < 1) {
      throw SpecProblem.invalid("spec.autoscale.maxReplicas", "must be at least 1");
    }
    if (min > spec.maxReplicas()) {
      throw SpecProblem.invalid(
          "spec.autoscale.minReplicas", "must not exceed maxReplicas (" + spec.maxReplicas() + ")");
    }
    if ((spec.lagPerReplica() == null) == (spec.targetLagSeconds() == null)) {
      throw SpecProblem.invalid(
          "spec.autoscale", "set exactly one of lagPerReplica and targetLagSeconds");
    }
    if (spec.targetRef() == null || spec.targetRef().kind() == null) {
      throw SpecProblem.invalid("spec.autoscale.targetRef", "kind and name are required");
    }
    return new Autoscale(
        min,
        spec.maxReplicas(),
        spec.lagPerReplica(),
        spec.targetLagSeconds(),
        duration(
            spec.scaleDownStabilization(),
            Duration.ofMinutes(5),
            "spec.autoscale.scaleDownStabilization"));
  }

  private static Duration duration(String text, Duration fallback, String field) {
    try {
      return KubeDuration.parseOr(text, fallback);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid(field, e.getMessage());
    }
  }

  private static double fraction(Double value, double fallback, String field) {
    if (value == null) {
      return fallback;
    }
    if (value < 0 || value > 1) {
      throw SpecProblem.invalid(field, "must be between 0 and 1, got " + value);
    }
    return value;
  }

  private static int positive(Integer value, int fallback, String field) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw SpecProblem.invalid(field, "must be at least 1, got " + value);
    }
    return value;
  }

  private static int value(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static <T> T orEmpty(T value, java.util.function.Supplier<T> empty) {
    return value != null ? value : empty.get();
  }
}
