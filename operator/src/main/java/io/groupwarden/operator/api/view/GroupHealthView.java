package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupHealth;
import java.util.List;

/**
 * {@code GET /api/v1/consumers/groups/{group}/health}: the health and the findings behind it.
 *
 * @param cluster {@code namespace/policy}
 * @param health {@code HEALTHY}, {@code WARNING} or {@code CRITICAL}
 * @param stuckPartitions how many partitions are stuck
 * @param recommendation the recommended action's sentence
 * @param recordsLost records retention deleted before the group consumed them
 * @param findings every problem found, most severe first
 */
public record GroupHealthView(
    String cluster,
    String group,
    String health,
    boolean sloCompliant,
    boolean fair,
    boolean rebalanceStable,
    int stuckPartitions,
    double coverage,
    String recommendation,
    long recordsLost,
    List<FindingView> findings) {

  public static GroupHealthView of(String cluster, GroupEvaluation g) {
    return new GroupHealthView(
        cluster,
        g.groupId(),
        GroupHealth.of(g).name(),
        g.sloCompliant(),
        g.fair(),
        g.rebalanceStable(),
        g.stuckPartitions().size(),
        g.coverage(),
        g.recommendation().message(),
        g.recordsLost(),
        g.findings().stream().map(FindingView::of).toList());
  }
}
