package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.groupwarden.operator.common.WorkloadLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The coordinator's configMap. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.COORDINATOR_OBJECTS))
public class CoordinatorConfigMap extends CoordinatorDependent<ConfigMap> {
  public CoordinatorConfigMap() {
    super(ConfigMap.class, CoordinatorModel::configMap);
  }
}
