package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.CatchUp.State;
import io.groupwarden.operator.governance.Finding.Type;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.Recommendation;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  private static final Instant NOW = Instant.parse("2025-01-01T01:00:00Z");

  /** One consumer on orders-0..5, 2000 behind on each. */
  private static GroupSample sample() {
    GroupSamples sample =
        GroupSamples.group("g")
            .member("m1", "orders-0", "orders-1", "orders-2", "orders-3", "orders-4", "orders-5");
    for (int p = 0; p < 6; p++) {
      sample.partition("orders", p, 10_000, 8_000);
    }
    return sample.at(NOW).build();
  }

  private static Detection stalled(int partition, int minutes) {
    return new Detection(
        new StuckPartition(
            GroupSamples.ref("orders-" + partition),
            NOW.minus(Duration.ofMinutes(minutes)),
            8_000,
            2_000,
            StuckReason.STALL),
        600,
        -1,
        10);
  }

  @Test
  void aHealthySituationNeedsNoAction() {
    Recommendation recommendation = Recommender.recommend(Situation.builder(sample(), NOW).build());

    assertThat(recommendation.action()).isEqualTo(Action.NONE);
    assertThat(recommendation.message()).isEqualTo("No action needed.");
    assertThat(recommendation.findings()).isEmpty();
  }

  @Test
  void findingsComeInOrderOfSeverityWhateverOrderTheyAreGivenIn() {
    Recommendation recommendation =
        Recommender.recommend(
            Situation.builder(sample(), NOW)
                .stability(false, 12, Duration.ofHours(1))
                .underProvisioned(
                    new UnderProvisioned(
                        1,
                        new Estimate(3, "47.0 messages/s arrive but the one consumer commits 24.0"),
                        new CatchUp(State.NOT_CATCHING_UP, null, 47, 24),
                        List.of()))
                .slo(true, 0.0, 0.95)
                .stuck(List.of(stalled(2, 3)))
                .overruns(
                    List.of(
                        new RetentionOverrun(
                            GroupSamples.ref("orders-4"), 874, 2_074, 1_200, NOW.minusSeconds(60))))
                .build());

    assertThat(recommendation.findings())
        .extracting(Finding::type)
        .containsExactly(
            Type.RECORDS_LOST,
            Type.STUCK_PARTITION,
            Type.UNDER_PROVISIONED,
            Type.REBALANCE_INSTABILITY);
    assertThat(recommendation.action()).isEqualTo(Action.PREVENT_DATA_LOSS);
    assertThat(recommendation.message())
        .isEqualTo(
            "Scale out to 3 consumers and raise the retention of topic orders: retention deleted"
                + " 1200 records of orders-4 before the group read them (committed offset 874, log"
                + " start 2074), first seen 1m ago. Also: inspect partition orders-2 at offset 8000;"
                + " scale out to 3 consumers; use the cooperative-sticky assignor or static"
                + " membership (group.instance.id).");
  }

  @Test
  void manyFindingsOfOneKindAreCountedInTheSentence() {
    Recommendation recommendation =
        Recommender.recommend(
            Situation.builder(sample(), NOW)
                .stuck(List.of(stalled(0, 9), stalled(1, 7), stalled(2, 5)))
                .build());

    assertThat(recommendation.findings()).hasSize(3);
    assertThat(recommendation.message())
        .startsWith("Inspect partition orders-0 at offset 8000: its committed offset has not moved")
        .endsWith(" Also: inspect 2 more stuck partitions.");
    assertThat(recommendation.fullText())
        .contains("Inspect partition orders-1 at offset 8000")
        .contains("Inspect partition orders-2 at offset 8000");
  }
}
