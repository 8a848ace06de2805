package io.groupwarden.operator.policy.coordinator;

import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The coordinator's objects exist only while the policy asks for a managed coordinator; when the
 * policy moves to an existing cluster they are deleted.
 */
public class CoordinatorRequested implements Condition<Object, ConsumerGroupPolicy> {
  @Override
  public boolean isMet(
      DependentResource<Object, ConsumerGroupPolicy> dependentResource,
      ConsumerGroupPolicy policy,
      Context<ConsumerGroupPolicy> context) {
    return policy.getSpec() != null
        && policy.getSpec().kafka() != null
        && policy.getSpec().kafka().coordinator() != null;
  }
}
