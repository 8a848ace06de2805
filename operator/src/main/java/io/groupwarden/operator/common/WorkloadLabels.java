package io.groupwarden.operator.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every object of a workload the operator runs (a policy's coordinator, a sink's
 * workers): they select the workload's pods, and they let each watch see only the operator's own
 * objects.
 */
public final class WorkloadLabels {
  private static final String COMPONENT = "app.kubernetes.io/component";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final String OPERATOR = "groupwarden";
  private static final String OWN_OBJECTS = MANAGED_BY + "=" + OPERATOR + "," + COMPONENT + "=";

  /** The managed coordinator broker of a policy. */
  public static final String COORDINATOR = "coordinator";

  /** The workers of a MongoSink. */
  public static final String SINK = "sink";

  /** Selects the objects of every policy's coordinator, for a watch. */
  public static final String COORDINATOR_OBJECTS = OWN_OBJECTS + COORDINATOR;

  /** Selects the objects of every sink's workers, for a watch. */
  public static final String SINK_OBJECTS = OWN_OBJECTS + SINK;

  private WorkloadLabels() {}

  /**
   * The labels of one workload's objects, in a stable order.
   *
   * @param component {@link #COORDINATOR} or {@link #SINK}
   * @param instance the name of the resource the workload runs for
   */
  public static Map<String, String> of(String component, String instance) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", OPERATOR + "-" + component);
    labels.put("app.kubernetes.io/instance", instance);
    labels.put(COMPONENT, component);
    labels.put(MANAGED_BY, OPERATOR);
    return labels;
  }
}
