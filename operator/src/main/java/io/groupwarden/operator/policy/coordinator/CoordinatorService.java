package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.Service;
import io.groupwarden.operator.common.WorkloadLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The coordinator's clientService. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.COORDINATOR_OBJECTS))
public class CoordinatorService extends CoordinatorDependent<Service> {
  public CoordinatorService() {
    super(Service.class, CoordinatorModel::clientService);
  }
}
