package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.common.OperatorDefaultsAware;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.Function;

/**
 * One object of a policy's managed coordinator, kept in line with {@link CoordinatorModel}.
 *
 * @param <R> the object's type
 */
abstract class CoordinatorDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, ConsumerGroupPolicy>
    implements OperatorDefaultsAware {
  /** Only the coordinator's own objects are watched, not every object of their kinds. */
  static final String SELECTOR =
      "app.kubernetes.io/managed-by=groupwarden,app.kubernetes.io/component=coordinator";

  private final Function<CoordinatorModel, R> part;
  private String defaultImage = OperatorConfig.DEFAULT_COORDINATOR_IMAGE;

  /**
   * @param part which of the model's objects this dependent keeps
   */
  CoordinatorDependent(Class<R> type, Function<CoordinatorModel, R> part) {
    super(type);
    this.part = part;
  }

  @Override
  public void useDefaults(OperatorConfig config) {
    this.defaultImage = config.coordinatorImage();
  }

  @Override
  protected R desired(ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    CoordinatorAccess access =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(CoordinatorAccess.class, CoordinatorAccess.class)
            .orElse(null);
    return part.apply(CoordinatorModel.of(policy, defaultImage, access));
  }

  /**
   * Names the object without building it, so that it can be found and deleted after the policy
   * stopped asking for a coordinator.
   */
  @Override
  protected ResourceID targetSecondaryResourceID(
      ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    return new ResourceID(nameOf(policy), policy.getMetadata().getNamespace());
  }

  String nameOf(ConsumerGroupPolicy policy) {
    return ManagedCoordinatorNames.name(policy);
  }
}
