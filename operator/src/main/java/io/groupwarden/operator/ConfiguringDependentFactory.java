package io.groupwarden.operator;

import io.groupwarden.operator.common.OperatorDefaultsAware;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;

/**
 * The JOSDK's dependent factory, plus handing the operator's defaults to dependents that want them.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class ConfiguringDependentFactory
    implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
  private final OperatorConfig config;

  ConfiguringDependentFactory(OperatorConfig config) {
    this.config = config;
  }

  @Override
  public void configure(
      DependentResource instance,
      DependentResourceSpec spec,
      ControllerConfiguration<?> controllerConfiguration) {
    DependentResourceFactory.super.configure(instance, spec, controllerConfiguration);
    if (instance instanceof OperatorDefaultsAware aware) {
      aware.useDefaults(config);
    }
  }
}
