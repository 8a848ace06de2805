package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.common.ModelledDependent;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.Function;

/**
 * One object of a sink's workers, built from {@link SinkModel} with the plan the reconciler put in
 * the context before it invoked the workflow.
 *
 * @param <R> the object's type
 */
abstract class SinkWorkerDependent<R extends HasMetadata>
    extends ModelledDependent<R, MongoSink, SinkModel> {
  /**
   * @param part which of the model's objects this dependent keeps
   */
  SinkWorkerDependent(Class<R> type, Function<SinkModel, R> part) {
    super(type, part, OperatorConfig.DEFAULT_SINK_IMAGE, OperatorConfig::sinkImage);
  }

  @Override
  protected SinkModel model(MongoSink sink, Context<MongoSink> context, String defaultImage) {
    SinkPlan plan =
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(SinkPlan.class, SinkPlan.class);
    return SinkModel.of(sink, plan, defaultImage);
  }

  @Override
  protected String nameOf(MongoSink sink) {
    return SinkModel.workerName(sink);
  }
}
