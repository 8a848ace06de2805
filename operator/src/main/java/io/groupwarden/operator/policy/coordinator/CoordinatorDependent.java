package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.common.ModelledDependent;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.Function;

/**
 * One object of a policy's managed coordinator, kept in line with {@link CoordinatorModel}. It is
 * named without being built, so that it can be found and deleted after the policy stopped asking
 * for a coordinator.
 *
 * @param <R> the object's type
 */
abstract class CoordinatorDependent<R extends HasMetadata>
    extends ModelledDependent<R, ConsumerGroupPolicy, CoordinatorModel> {
  /**
   * @param part which of the model's objects this dependent keeps
   */
  CoordinatorDependent(Class<R> type, Function<CoordinatorModel, R> part) {
    super(type, part, OperatorConfig.DEFAULT_COORDINATOR_IMAGE, OperatorConfig::coordinatorImage);
  }

  @Override
  protected CoordinatorModel model(
      ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context, String defaultImage) {
    CoordinatorAccess access =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(CoordinatorAccess.class, CoordinatorAccess.class)
            .orElse(null);
    return CoordinatorModel.of(policy, defaultImage, access);
  }

  @Override
  protected String nameOf(ConsumerGroupPolicy policy) {
    return ManagedCoordinatorNames.name(policy);
  }
}
