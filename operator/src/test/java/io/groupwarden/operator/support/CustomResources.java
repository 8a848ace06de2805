package io.groupwarden.operator.support;

import io.fabric8.kubernetes.client.CustomResource;
import io.groupwarden.operator.common.ConditionedStatus;
import io.groupwarden.operator.common.Conditions;
import java.util.function.Predicate;

/**
 * One kind of the operator's custom resources in a test's namespace, for the tests that apply them
 * and wait for their status.
 *
 * @param <R> the resource class
 * @param <S> its status class
 */
public final class CustomResources<R extends CustomResource<?, S>, S extends ConditionedStatus> {
  private final OperatorTestEnvironment env;
  private final Class<R> type;

  CustomResources(OperatorTestEnvironment env, Class<R> type) {
    this.env = env;
    this.type = type;
  }

  /** Creates (or, with a resourceVersion, updates) the resource the YAML describes. */
  public R apply(String yaml) {
    return env.apply(type, yaml);
  }

  /**
   * Creates (or updates) the resource {@code name} with {@code spec}: see {@link
   * TestResources#yaml}.
   */
  public R applySpec(String name, String spec) {
    return env.applySpec(type, name, spec);
  }

  /** The named resource as the API server has it now, or null. */
  public R get(String name) {
    return env.client().resources(type).inNamespace(env.namespace()).withName(name).get();
  }

  /** Deletes the named resource. */
  public void delete(String name) {
    env.client().resources(type).inNamespace(env.namespace()).withName(name).delete();
  }

  /** The named resource's status once it exists and passes {@code test}. */
  public S awaitStatus(String name, Predicate<S> test) {
    return TestResources.awaitStatus(
        env.client(), type, env.namespace(), name, OperatorTestEnvironment.PATIENCE, test);
  }

  /** The named resource's status once its Ready condition gives {@code reason}. */
  public S awaitReadyReason(String name, String reason) {
    return awaitStatus(
        name,
        s -> s.condition(Conditions.READY).filter(c -> reason.equals(c.reason())).isPresent());
  }
}
