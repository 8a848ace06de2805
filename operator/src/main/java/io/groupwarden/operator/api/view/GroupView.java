package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation;
import java.util.List;

/**
 * Everything the operator knows of one group at its last evaluation. The field names are the
 * contract of {@code GET /api/v1/consumers/groups/{group}}; they follow the evaluation's names but
 * do not change with it.
 *
 * @param recordsLost records retention deleted before the group consumed them, observed since the
 *     operator began watching the group
 * @param overrunPartitions partitions whose committed offset is below their log start
 * @param lossAtRisk partitions whose oldest unconsumed record retention may delete within the SLO
 *     window
 * @param catchUp when the group will have caught up: a duration such as {@code 4m10s}, {@code
 *     caught up} or {@code not catching up}; null while unknown
 * @param catchUpSeconds the same in seconds; 0 when caught up, null when not catching up or unknown
 * @param findings every problem found, most severe first
 */
public record GroupView(
    String groupId,
    String state,
    int members,
    String assignor,
    List<String> topics,
    LagView lag,
    LagSecondsView lagSeconds,
    Double sloCompliance,
    boolean sloCompliant,
    double fairnessGini,
    boolean fair,
    int rebalances,
    int rebalanceScore,
    boolean rebalanceStable,
    List<StuckPartitionView> stuckPartitions,
    double coverage,
    List<PartitionView> partitions,
    RecommendationView recommendation,
    Integer desiredReplicas,
    long recordsLost,
    List<OverrunView> overrunPartitions,
    List<LossRiskView> lossAtRisk,
    String catchUp,
    Double catchUpSeconds,
    List<FindingView> findings) {

  public static GroupView of(GroupEvaluation g) {
    return new GroupView(
        g.groupId(),
        g.state(),
        g.members(),
        g.assignor(),
        g.topics(),
        LagView.of(g.lag()),
        LagSecondsView.of(g.lagSeconds()),
        g.sloCompliance(),
        g.sloCompliant(),
        g.fairnessGini(),
        g.fair(),
        g.rebalances(),
        g.rebalanceScore(),
        g.rebalanceStable(),
        g.stuckPartitions().stream().map(StuckPartitionView::of).toList(),
        g.coverage(),
        g.partitions().stream().map(PartitionView::of).toList(),
        RecommendationView.of(g.recommendation()),
        g.desiredReplicas(),
        g.recordsLost(),
        g.overruns().stream().map(OverrunView::of).toList(),
        g.lossRisks().stream().map(LossRiskView::of).toList(),
        g.catchUp().text(),
        g.catchUp().seconds(),
        g.findings().stream().map(FindingView::of).toList());
  }
}
