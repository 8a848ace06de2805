package io.groupwarden.operator.policy;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.events.EventRecorder;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.ScaleBounds;
import io.groupwarden.operator.governance.ScaleDecider;
import io.groupwarden.operator.governance.ScaleDecider.ScaleDecision;
import io.groupwarden.operator.policy.customresource.AutoscaleSpec;
import io.groupwarden.operator.policy.customresource.AutoscaleSpec.ScaleTargetRef;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.AutoscaleStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Scales the workload that consumes a policy's groups through its scale subresource, so a
 * Deployment, a StatefulSet and a MongoSink are handled alike.
 */
record PolicyAutoscaler(KubernetesClient client, EventRecorder events) {
  /**
   * Decides and applies the replica count.
   *
   * @throws SpecProblem ScaleTargetNotFound when the target does not exist
   */
  AutoscaleStatus apply(
      ConsumerGroupPolicy policy,
      PolicySettings settings,
      List<GroupEvaluation> groups,
      PolicyState state,
      Instant now) {
    AutoscaleSpec spec = policy.getSpec().autoscale();
    ScaleTargetRef ref = spec.targetRef();
    String target = ref.kind() + "/" + ref.name();
    Resource<?> resource = resource(policy.getMetadata().getNamespace(), ref);
    Scale scale;
    try {
      scale = resource.scale();
    } catch (KubernetesClientException e) {
      scale = null;
    }
    if (scale == null || scale.getSpec() == null) {
      throw new SpecProblem(
          "ScaleTargetNotFound",
          "spec.autoscale.targetRef: "
              + target
              + " not found in "
              + policy.getMetadata().getNamespace());
    }
    int current = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
    long raw =
        groups.stream()
            .map(GroupEvaluation::desiredReplicas)
            .filter(Objects::nonNull)
            .mapToLong(Integer::longValue)
            .max()
            .orElse(current);
    int partitions = groups.stream().mapToInt(g -> g.partitions().size()).max().orElse(0);
    PolicySettings.Autoscale bounds = settings.autoscale();
    ScaleDecision decision =
        ScaleDecider.decide(
            current,
            raw,
            new ScaleBounds(bounds.minReplicas(), bounds.maxReplicas(), Math.max(partitions, 1)),
            state.recommendations(),
            bounds.scaleDownStabilization(),
            now);
    state.recommendations(decision.recommendations());

    String lastScaleTime = previousScaleTime(policy);
    if (decision.replicas() != current) {
      resource.scale(
          new ScaleBuilder(scale).editSpec().withReplicas(decision.replicas()).endSpec().build());
      lastScaleTime = PolicyStatusWriter.timestamp(now);
      events.normal(
          policy,
          "Scaled",
          "scaled "
              + target
              + " from "
              + current
              + " to "
              + decision.replicas()
              + ": "
              + decision.message());
    }
    return new AutoscaleStatus(
        target, current, decision.replicas(), lastScaleTime, decision.message());
  }

  private Resource<?> resource(String namespace, ScaleTargetRef ref) {
    String apiVersion =
        ref.apiVersion() != null
            ? ref.apiVersion()
            : ref.kind() == AutoscaleSpec.Kind.MongoSink ? "groupwarden.io/v1alpha1" : "apps/v1";
    return client
        .genericKubernetesResources(apiVersion, ref.kind().name())
        .inNamespace(namespace)
        .withName(ref.name());
  }

  private static String previousScaleTime(ConsumerGroupPolicy policy) {
    ConsumerGroupPolicyStatus status = policy.getStatus();
    return status == null || status.autoscale() == null ? null : status.autoscale().lastScaleTime();
  }
}
