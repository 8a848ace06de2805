package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.Service;
import io.groupwarden.operator.common.WorkloadLabels;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The coordinator's headlessService. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.COORDINATOR_OBJECTS))
public class CoordinatorHeadlessService extends CoordinatorDependent<Service> {
  public CoordinatorHeadlessService() {
    super(Service.class, CoordinatorModel::headlessService);
  }

  @Override
  protected String nameOf(ConsumerGroupPolicy policy) {
    return ManagedCoordinatorNames.headlessName(policy);
  }
}
