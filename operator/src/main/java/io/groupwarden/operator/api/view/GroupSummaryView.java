package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupHealth;
import java.util.List;

/**
 * One group in the list of {@code GET /api/v1/consumers/groups}: its numbers without the
 * per-partition detail.
 *
 * @param stuckPartitions how many partitions are stuck
 * @param health {@code HEALTHY}, {@code WARNING} or {@code CRITICAL}
 * @param recommendation the recommended action's sentence
 */
public record GroupSummaryView(
    String groupId,
    String state,
    int members,
    String assignor,
    List<String> topics,
    LagView lag,
    LagSecondsView lagSeconds,
    Double sloCompliance,
    double fairnessGini,
    int rebalanceScore,
    int stuckPartitions,
    double coverage,
    String health,
    String recommendation) {

  public static GroupSummaryView of(GroupEvaluation g) {
    return new GroupSummaryView(
        g.groupId(),
        g.state(),
        g.members(),
        g.assignor(),
        g.topics(),
        LagView.of(g.lag()),
        LagSecondsView.of(g.lagSeconds()),
        g.sloCompliance(),
        g.fairnessGini(),
        g.rebalanceScore(),
        g.stuckPartitions().size(),
        g.coverage(),
        GroupHealth.of(g).name(),
        g.recommendation().message());
  }
}
