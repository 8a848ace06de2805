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
 * @param recordsLost records retention deleted before the group consumed them
 * @param catchUp when the group will have caught up ({@code 4m10s}, {@code caught up}, {@code not
 *     catching up}); null while unknown
 * @param catchUpSeconds the same in seconds; null when not catching up or unknown
 * @param findingCount how many problems were found (the group's detail lists them as {@code
 *     findings})
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
    String recommendation,
    long recordsLost,
    String catchUp,
    Double catchUpSeconds,
    int findingCount) {

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
        g.recommendation().message(),
        g.recordsLost(),
        g.catchUp().text(),
        g.catchUp().seconds(),
        g.findings().size());
  }
}
