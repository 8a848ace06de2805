package io.groupwarden.operator.policy;

import static io.groupwarden.operator.metrics.MetricNames.*;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.metrics.GaugeSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Prometheus series a policy's evaluation publishes. */
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
