package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation;
import java.util.List;

/**
 * Everything the operator knows of one group at its last evaluation. The field names are the
 * contract of {@code GET /api/v1/consumers/groups/{group}}; they follow the evaluation's names but
 * do not change with it.
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
    Integer desiredReplicas) {

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
        g.desiredReplicas());
  }
}
