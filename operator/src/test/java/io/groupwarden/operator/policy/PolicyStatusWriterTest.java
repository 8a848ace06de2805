package io.groupwarden.operator.policy;

import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.governance.CatchUp;
import io.groupwarden.operator.governance.CatchUp.State;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupEvaluationBuilder;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Health;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status and the events of the numbers lag tools do not have, without a server. */
class PolicyStatusWriterTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final PolicySettings SETTINGS = PolicySettings.defaults();
  private static final PartitionRef ORDERS_2 = new PartitionRef("orders", 2);

  private static ConsumerGroupPolicyStatus status(
      ConsumerGroupPolicyStatus previous, GroupEvaluation... groups) {
    return PolicyStatusWriter.evaluated(
        previous, 1, SETTINGS, List.of(groups), Map.of(), List.of(), null, null, NOW);
  }

  private static GroupEvaluation lost(String group, long records) {
    return GroupEvaluationBuilder.group(group)
        .lost(
            records,
            List.of(
                new RetentionOverrun(ORDERS_2, 874, 874 + records, records, NOW.minusSeconds(90))))
        .catchUp(new CatchUp(State.NOT_CATCHING_UP, null, 47, 24))
        .build();
  }

  @Test
  void recordsLostAreInTheGroupTheSummaryAndTheNoDataLossCondition() {
    ConsumerGroupPolicyStatus status = status(null, lost("billing", 1_200), lost("audit", 300));

    GroupStatus billing =
        status.groups().stream().filter(g -> g.groupId().equals("billing")).findFirst().get();
    assertThat(billing.recordsLost()).isEqualTo(1_200);
    assertThat(billing.overrunPartitions().get(0).logStartOffset()).isEqualTo(2_074);
    assertThat(billing.overrunPartitions().get(0).since()).isEqualTo("2026-11-24T11:58:30Z");
    assertThat(billing.catchUp()).isEqualTo("not catching up");
    assertThat(billing.catchUpSeconds()).isNull();
    assertThat(status.summary().recordsLost()).isEqualTo(1_500);
    assertThat(status.summary().catchUp()).isEqualTo("not catching up");
    assertThat(status.summary().health()).isEqualTo(Health.Critical);
    Condition noDataLoss = condition(status, "NoDataLoss");
    assertThat(noDataLoss.status()).isEqualTo("False");
    assertThat(noDataLoss.reason()).isEqualTo("RecordsLost");
    assertThat(noDataLoss.message())
        .isEqualTo(
            "retention deleted records before they were consumed: billing (orders-2 1200"
                + " records), audit (orders-2 300 records)");
  }

  @Test
  void recordsAtRiskAreReportedWithWhenTheyMayGo() {
    GroupEvaluation risky =
        GroupEvaluationBuilder.group("billing")
            .lossAtRisk(ORDERS_2, 5_000, 3_000, 3_600_000L, 2_400)
            .build();

    ConsumerGroupPolicyStatus status = status(null, risky);

    assertThat(status.groups().get(0).lossAtRisk().get(0).lossIn()).isEqualTo("40m");
    assertThat(status.groups().get(0).lossAtRisk().get(0).limit()).isEqualTo("retention.ms");
    assertThat(condition(status, "NoDataLoss").reason()).isEqualTo("LossAtRisk");
    assertThat(condition(status, "NoDataLoss").message()).contains("billing (orders-2 in 40m)");
  }

  @Test
  void aHealthyGroupHasNoDataLossAndIsCaughtUp() {
    ConsumerGroupPolicyStatus status =
        status(null, GroupEvaluationBuilder.group("billing").build());

    assertThat(condition(status, "NoDataLoss").status()).isEqualTo("True");
    assertThat(status.summary().catchUp()).isEqualTo("caught up");
    assertThat(status.summary().recordsLost()).isZero();
    assertThat(status.groups().get(0).catchUpSeconds()).isZero();
  }

  @Test
  void anOverrunMakesOneEventWhenItStartsAndOneWhenItEnds() {
    ConsumerGroupPolicyStatus healthy =
        status(null, GroupEvaluationBuilder.group("billing").build());
    ConsumerGroupPolicyStatus overrun = status(healthy, lost("billing", 1_200));
    ConsumerGroupPolicyStatus stillOverrun = status(overrun, lost("billing", 1_500));
    ConsumerGroupPolicyStatus over =
        status(stillOverrun, GroupEvaluationBuilder.group("billing").build());

    List<Notice> starts = PolicyNotices.between(healthy, overrun, SETTINGS);
    assertThat(starts).extracting(Notice::reason).containsExactly("RetentionOverrun");
    assertThat(starts.get(0).type()).isEqualTo(Notice.WARNING);
    assertThat(starts.get(0).message())
        .startsWith(
            "group billing: retention deleted 1200 records of partition orders-2 before they were"
                + " consumed (committed offset 874, log start 2074).");
    assertThat(PolicyNotices.between(overrun, stillOverrun, SETTINGS)).isEmpty();
    assertThat(PolicyNotices.between(stillOverrun, over, SETTINGS))
        .extracting(Notice::reason)
        .containsExactly("RetentionOverrunRecovered");
  }

  @Test
  void aStuckPartitionAndALossAtRiskEachMakeOneEventRaisedAndOneCleared() {
    ConsumerGroupPolicyStatus healthy =
        status(null, GroupEvaluationBuilder.group("billing").build());
    ConsumerGroupPolicyStatus troubled =
        status(
            healthy,
            GroupEvaluationBuilder.group("billing")
                .stuck(
                    List.of(
                        new StuckPartition(
                            ORDERS_2, NOW.minusSeconds(300), 874, 120, StuckReason.STALL)))
                .lossAtRisk(ORDERS_2, 5_000, 3_000, 3_600_000L, 2_400)
                .build());
    ConsumerGroupPolicyStatus well =
        status(troubled, GroupEvaluationBuilder.group("billing").build());

    assertThat(PolicyNotices.between(healthy, troubled, SETTINGS))
        .extracting(Notice::reason, Notice::message)
        .containsExactly(
            tuple(
                "StuckPartition",
                "group billing: partition orders-2 is stuck (STALL) at offset 874 with lag 120"
                    + " since 2026-11-24T11:55:00Z"),
            tuple(
                "RetentionAtRisk",
                "group billing: retention (retention.ms) may delete unconsumed records of partition"
                    + " orders-2 in 40m at the present rates. "
                    + troubled.groups().get(0).recommendation()));
    assertThat(PolicyNotices.between(troubled, troubled, SETTINGS)).isEmpty();
    assertThat(PolicyNotices.between(troubled, well, SETTINGS))
        .extracting(Notice::reason, Notice::message)
        .containsExactly(
            tuple(
                "StuckPartitionRecovered",
                "group billing: partition orders-2 makes progress again"),
            tuple(
                "RetentionRiskRecovered",
                "group billing: partition orders-2 is no longer at risk of losing records to"
                    + " retention"));
  }
}
