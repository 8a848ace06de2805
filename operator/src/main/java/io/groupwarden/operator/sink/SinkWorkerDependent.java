package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.common.OperatorDefaultsAware;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.Function;

/**
 * One object of a sink's workers, built from {@link SinkModel} with the plan the reconciler put in
 * the context before it invoked the workflow.
 *
 * @param <R> the object's type
 */
abstract class SinkWorkerDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, MongoSink> implements OperatorDefaultsAware {
  /** Only the sinks' own objects are watched. */
  static final String SELECTOR =
      "app.kubernetes.io/managed-by=groupwarden,app.kubernetes.io/component=sink";

  private final Function<SinkModel, R> part;
  private String defaultImage = OperatorConfig.DEFAULT_SINK_IMAGE;

  /**
   * @param part which of the model's objects this dependent keeps
   */
  SinkWorkerDependent(Class<R> type, Function<SinkModel, R> part) {
    super(type);
    this.part = part;
  }

  @Override
  public void useDefaults(OperatorConfig config) {
    this.defaultImage = config.sinkImage();
  }

  @Override
  protected R desired(MongoSink sink, Context<MongoSink> context) {
    SinkPlan plan =
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(SinkPlan.class, SinkPlan.class);
    return part.apply(SinkModel.of(sink, plan, defaultImage));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MongoSink sink, Context<MongoSink> context) {
    return new ResourceID(SinkModel.workerName(sink), sink.getMetadata().getNamespace());
  }
}
