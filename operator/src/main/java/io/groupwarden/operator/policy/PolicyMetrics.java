package io.groupwarden.operator.policy;

import static io.groupwarden.operator.metrics.MetricNames.*;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.metrics.GaugeSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus series a policy's evaluation publishes: per partition lag, lag in seconds, records
 * lost to retention (a counter) and time to catch up; per group SLO compliance, Gini, rebalance
 * score and stuck partitions. The group's time to catch up is the largest of its partitions'.
 */
final class PolicyMetrics {
  private PolicyMetrics() {}

  static List<GaugeSample> of(String namespace, String policy, List<GroupEvaluation> groups) {
    List<GaugeSample> samples = new ArrayList<>();
    for (GroupEvaluation group : groups) {
      Map<String, String> groupLabels =
          Map.of(NAMESPACE, namespace, POLICY, policy, GROUP, group.groupId());
      for (PartitionLag partition : group.partitions()) {
        Map<String, String> labels =
            Map.of(
                NAMESPACE,
                namespace,
                POLICY,
                policy,
                LAGMONITOR,
                "",
                GROUP,
                group.groupId(),
                TOPIC,
                partition.ref().topic(),
                PARTITION,
                String.valueOf(partition.ref().partition()));
        samples.add(
            new GaugeSample(
                GROUP_LAG,
                "Consumer group lag in messages per partition",
                labels,
                partition.lag()));
        if (partition.lagSeconds() != null) {
          samples.add(
              new GaugeSample(
                  GROUP_LAG_SECONDS,
                  "Consumer group lag in seconds per partition",
                  labels,
                  partition.lagSeconds()));
        }
        samples.add(
            GaugeSample.counter(
                RECORDS_LOST_TO_RETENTION,
                "Records retention deleted before the group consumed them, per partition",
                labels,
                partition.recordsLost()));
        Double catchUp = partition.catchUp().gaugeSeconds();
        if (catchUp != null) {
          samples.add(
              new GaugeSample(
                  CATCH_UP_SECONDS,
                  "Seconds until the partition's lag reaches zero at the present rates; +Inf when"
                      + " it is not catching up",
                  labels,
                  catchUp));
        }
      }
      if (group.sloCompliance() != null) {
        samples.add(
            new GaugeSample(
                SLO_COMPLIANCE,
                "Share of partitions meeting the lag SLO over its window",
                groupLabels,
                group.sloCompliance()));
      }
      samples.add(
          new GaugeSample(
              FAIRNESS_GINI,
              "Gini coefficient of partitions per member",
              groupLabels,
              group.fairnessGini()));
      samples.add(
          new GaugeSample(
              REBALANCE_SCORE,
              "Rebalance stability score, 100 = no rebalances in the window",
              groupLabels,
              group.rebalanceScore()));
      samples.add(
          new GaugeSample(
              STUCK_PARTITIONS,
              "Partitions of the group that make no progress",
              groupLabels,
              group.stuckPartitions().size()));
    }
    return samples;
  }
}
