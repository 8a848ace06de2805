package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.groupwarden.operator.common.WorkloadLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The sink's worker StatefulSet. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.SINK_OBJECTS))
public class SinkWorkerStatefulSet extends SinkWorkerDependent<StatefulSet> {
  public SinkWorkerStatefulSet() {
    super(StatefulSet.class, SinkModel::statefulSet);
  }
}
