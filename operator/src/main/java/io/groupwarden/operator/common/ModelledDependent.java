package io.groupwarden.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.groupwarden.operator.OperatorConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.Function;

/**
 * One object of the workload the operator runs for a primary resource (a policy's coordinator, a
 * sink's workers), cut from a model that builds all of the workload's objects at once. The model
 * needs the image to run when the resource names none, which comes from the operator's
 * configuration.
 *
 * @param <R> the object's type
 * @param <P> the primary resource's type
 * @param <M> the model's type
 */
public abstract class ModelledDependent<R extends HasMetadata, P extends HasMetadata, M>
    extends CRUDKubernetesDependentResource<R, P> implements OperatorDefaultsAware {
  private final Function<M, R> part;
  private final Function<OperatorConfig, String> configuredImage;
  private String defaultImage;

  /**
   * @param part which of the model's objects this dependent keeps
   * @param defaultImage the image until the operator's configuration is handed over
   * @param configuredImage the image the operator's configuration names
   */
  protected ModelledDependent(
      Class<R> type,
      Function<M, R> part,
      String defaultImage,
      Function<OperatorConfig, String> configuredImage) {
    super(type);
    this.part = part;
    this.defaultImage = defaultImage;
    this.configuredImage = configuredImage;
  }

  @Override
  public void useDefaults(OperatorConfig config) {
    this.defaultImage = configuredImage.apply(config);
  }

  @Override
  protected R desired(P primary, Context<P> context) {
    return part.apply(model(primary, context, defaultImage));
  }

  /** The model of the primary's workload, with what the reconciler put in the context. */
  protected abstract M model(P primary, Context<P> context, String defaultImage);

  /**
   * Names the object without building it, so that it can be found (and deleted) even when the model
   * cannot be built.
   */
  @Override
  protected ResourceID targetSecondaryResourceID(P primary, Context<P> context) {
    return new ResourceID(nameOf(primary), primary.getMetadata().getNamespace());
  }

  /** The object's name. */
  protected abstract String nameOf(P primary);
}
