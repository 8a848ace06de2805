package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.groupwarden.operator.common.WorkloadLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The coordinator's statefulSet. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.COORDINATOR_OBJECTS))
public class CoordinatorStatefulSet extends CoordinatorDependent<StatefulSet> {
  public CoordinatorStatefulSet() {
    super(StatefulSet.class, CoordinatorModel::statefulSet);
  }
}
