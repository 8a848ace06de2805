package io.groupwarden.operator.common;

import io.groupwarden.operator.OperatorConfig;

/**
 * A dependent resource that needs the operator's configuration (default images). The JOSDK creates
 * dependents reflectively; the operator's dependent factory hands them the configuration right
 * after.
 */
public interface OperatorDefaultsAware {
  void useDefaults(OperatorConfig config);
}
