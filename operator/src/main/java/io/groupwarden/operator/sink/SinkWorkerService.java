package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.Service;
import io.groupwarden.operator.common.WorkloadLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The headless Service that gives the workers stable names and exposes their metrics. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.SINK_OBJECTS))
public class SinkWorkerService extends SinkWorkerDependent<Service> {
  public SinkWorkerService() {
    super(Service.class, SinkModel::headlessService);
  }
}
