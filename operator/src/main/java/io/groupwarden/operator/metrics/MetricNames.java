package io.groupwarden.operator.metrics;

/**
 * The operator's metric names and label names as users see them (shared/DESIGN.md). Kafka lag
 * series carry the same label set whether a ConsumerGroupPolicy or a LagMonitor publishes them —
 * Prometheus wants one label set per metric name — with the other owner's label empty.
 */
public final class MetricNames {
  public static final String GROUP_LAG = "groupwarden_group_lag";
  public static final String GROUP_LAG_SECONDS = "groupwarden_group_lag_seconds";
  public static final String SLO_COMPLIANCE = "groupwarden_group_slo_compliance";
  public static final String FAIRNESS_GINI = "groupwarden_group_fairness_gini";
  public static final String REBALANCE_SCORE = "groupwarden_group_rebalance_score";
  public static final String STUCK_PARTITIONS = "groupwarden_group_stuck_partitions";
  public static final String RECORDS_LOST_TO_RETENTION =
      "groupwarden_group_records_lost_to_retention_total";
  public static final String CATCH_UP_SECONDS = "groupwarden_group_catch_up_seconds";
  public static final String REDIS_STREAM_LAG = "event_consumer_lag";

  public static final String NAMESPACE = "namespace";
  public static final String POLICY = "policy";
  public static final String LAGMONITOR = "lagmonitor";
  public static final String GROUP = "group";
  public static final String TOPIC = "topic";
  public static final String PARTITION = "partition";
  public static final String STREAM = "stream";
  public static final String CONSUMER_GROUP = "consumer_group";

  private MetricNames() {}
}
