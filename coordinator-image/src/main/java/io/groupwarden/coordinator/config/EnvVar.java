package io.groupwarden.coordinator.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The environment variable that supplies an option's value when its flag is not given. The name is
 * a constant of {@link io.groupwarden.common.env.CoordinatorEnv}, which the operator uses too.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface EnvVar {
  String value();
}
