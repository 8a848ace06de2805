package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LagFrom;
import io.groupwarden.operator.governance.GroupEvaluation.LagStats;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.PolicySettings.Autoscale;
import io.groupwarden.operator.lag.history.LagHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class GroupEvaluatorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final PolicySettings DEFAULTS = PolicySettings.defaults();

  private static Instant at(int sample) {
    return T0.plusSeconds(30L * sample);
  }

  private static PolicySettings autoscaled(Autoscale autoscale) {
    return PolicySettingsBuilder.defaults().autoscale(autoscale).build();
  }

  /**
   * Records samples 0..last of group "g" and evaluates it after each, as the operator does,
   * carrying the hysteresis state from one evaluation to the next; returns the last evaluation.
   */
  private static GroupEvaluation evaluate(
      PolicySettings settings, int last, IntFunction<GroupSamples> sampleAt) {
    LagHistory history = LagHistory.sizedFor(settings);
    GroupAlerts alerts = GroupAlerts.NONE;
    GroupEvaluation evaluation = null;
    for (int i = 0; i <= last; i++) {
      history.record(sampleAt.apply(i).at(at(i)).build());
      evaluation =
          GroupEvaluator.evaluate(history.group("g").orElseThrow(), settings, at(i), alerts);
      alerts = evaluation.alerts();
    }
    return evaluation;
  }

  /** The recommended action and the sentence that tells it. */
  private static void assertRecommends(GroupEvaluation evaluation, Action action, String message) {
    assertThat(evaluation.recommendation().action()).isEqualTo(action);
    assertThat(evaluation.recommendation().message()).isEqualTo(message);
  }

  /** Two members on orders-0..3, every partition caught up, 100 new messages a sample. */
  private static GroupSamples healthy(int i) {
    GroupSamples sample =
        GroupSamples.group("g")
            .member("m1", "orders-0", "orders-1")
            .member("m2", "orders-2", "orders-3");
    for (int p = 0; p < 4; p++) {
      sample.partition("orders", p, 1000 + 100L * i, 1000 + 100L * i);
    }
    return sample;
  }

  @Test
  void aHealthyGroupNeedsNoAction() {
    GroupEvaluation evaluation = evaluate(DEFAULTS, 10, GroupEvaluatorTest::healthy);

    assertThat(evaluation.groupId()).isEqualTo("g");
    assertThat(evaluation.state()).isEqualTo("Stable");
    assertThat(evaluation.members()).isEqualTo(2);
    assertThat(evaluation.topics()).containsExactly("orders");
    assertThat(evaluation.lag()).isEqualTo(new LagStats(0, 0, 0, 0));
    assertThat(evaluation.lagSeconds().p95()).isZero();
    assertThat(evaluation.sloCompliance()).isEqualTo(1.0);
    assertThat(evaluation.sloCompliant()).isTrue();
    assertThat(evaluation.fairnessGini()).isZero();
    assertThat(evaluation.fair()).isTrue();
    assertThat(evaluation.rebalances()).isZero();
    assertThat(evaluation.rebalanceScore()).isEqualTo(100);
    assertThat(evaluation.rebalanceStable()).isTrue();
    assertThat(evaluation.stuckPartitions()).isEmpty();
    assertThat(evaluation.coverage()).isEqualTo(1.0);
    assertRecommends(evaluation, Action.NONE, "No action needed.");
    assertThat(evaluation.desiredReplicas()).isNull();
  }

  @Test
  void lagStatisticsAreNearestRankOverTheNewestSample() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            0,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0", "orders-1", "orders-2", "orders-3")
                    .partition("orders", 0, 1000, 1000)
                    .partition("orders", 1, 1010, 1000)
                    .partition("orders", 2, 1020, 1000)
                    .partition("orders", 3, 1340, 1000));

    // sorted 0, 10, 20, 340: p50 is rank 2, p95 rank 4
    assertThat(evaluation.lag()).isEqualTo(new LagStats(10, 340, 340, 370));
    assertThat(evaluation.partitions().get(3).lag()).isEqualTo(340);
    assertThat(evaluation.partitions().get(3).owner()).isEqualTo("m1");
  }

  @Test
  void aStalledPartitionIsReportedAndInspectionRecommended() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            10,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-2", "orders-3")
                    .partition("orders", 2, 500 + 10L * i, 500 + 10L * i)
                    .partition("orders", 3, 1210 + 34L * i, 1200));

    assertThat(evaluation.stuckPartitions())
        .containsExactly(
            new StuckPartition(GroupSamples.ref("orders-3"), T0, 1200, 350, StuckReason.STALL));
    assertRecommends(
        evaluation,
        Action.INSPECT_STUCK_PARTITION,
        "Inspect partition orders-3 at offset 1200: its committed offset has not moved for 5m"
            + " while 340 messages arrived.");
  }

  @Test
  void manyRebalancesRecommendCooperativeStickyOrStaticMembership() {
    // a dynamic member rejoins under a new member id at every one of 15 samples: 14 rebalances
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            14,
            i ->
                GroupSamples.group("g")
                    .member("m1-" + i, "orders-0")
                    .partition("orders", 0, 1000 + 10L * i, 1000 + 10L * i));

    assertThat(evaluation.rebalances()).isEqualTo(14);
    assertThat(evaluation.rebalanceScore()).isZero();
    assertThat(evaluation.rebalanceStable()).isFalse();
    assertRecommends(
        evaluation,
        Action.STABILISE_MEMBERSHIP,
        "Use the cooperative-sticky assignor or static membership (group.instance.id): 14"
            + " rebalances in the last 1h.");
  }

  @Test
  void aStuckPartitionOutranksInstability() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            14,
            i ->
                GroupSamples.group("g")
                    .member("m1-" + i, "orders-3")
                    .partition("orders", 3, 1210 + 34L * i, 1200));

    assertThat(evaluation.rebalanceStable()).isFalse();
    assertThat(evaluation.recommendation().action()).isEqualTo(Action.INSPECT_STUCK_PARTITION);
  }

  @Test
  void autoscaleSettingsRecommendScalingOutToTheirTarget() {
    GroupEvaluation evaluation =
        evaluate(
            autoscaled(new Autoscale(1, 10, 8000L, null, Duration.ofMinutes(5))),
            0,
            i -> {
              GroupSamples sample =
                  GroupSamples.group("g")
                      .member("m1", "orders-0", "orders-1", "orders-2", "orders-3", "orders-4")
                      .member("m2", "orders-5", "orders-6", "orders-7", "orders-8", "orders-9");
              for (int p = 0; p < 10; p++) {
                sample.partition("orders", p, 14_800, 10_000);
              }
              return sample;
            });

    assertThat(evaluation.lag().total()).isEqualTo(48_000);
    assertThat(evaluation.desiredReplicas()).isEqualTo(6);
    assertThat(evaluation.recommendation().action()).isEqualTo(Action.SCALE_OUT);
    assertThat(evaluation.recommendation().desiredReplicas()).isEqualTo(6);
    assertThat(evaluation.recommendation().message())
        .isEqualTo(
            "Scale out to 6 consumers: a total lag of 48000 messages at 8000 per consumer needs"
                + " 6.");
  }

  @Test
  void autoscaleSettingsRecommendScalingInWhenLittleLagIsLeft() {
    GroupEvaluation evaluation =
        evaluate(
            autoscaled(new Autoscale(1, 10, 8000L, null, Duration.ofMinutes(5))),
            0,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .member("m2", "orders-1")
                    .member("m3", "orders-2")
                    .partition("orders", 0, 1100, 1000)
                    .partition("orders", 1, 1000, 1000)
                    .partition("orders", 2, 1000, 1000));

    assertRecommends(
        evaluation,
        Action.SCALE_IN,
        "Scale in to 1 consumer: a total lag of 100 messages at 8000 per consumer needs 1.");
  }

  @Test
  void anSloViolationWithoutAutoscaleRecommendsScalingOutByRates() {
    // 3 members, 6 partitions: 200 messages arrive and 100 are committed per partition and sample
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            10,
            i -> GroupSamples.threeMembersOnSixPartitions(10_000 + 200L * i, 10_000 + 100L * i));

    assertThat(evaluation.sloCompliance()).isZero();
    assertThat(evaluation.sloCompliant()).isFalse();
    assertRecommends(
        evaluation,
        Action.SCALE_OUT,
        "Scale out to 6 consumers: 40.0 messages/s arrive and 6000 are behind (to clear within"
            + " 10m), but the 3 consumers commit 20.0 messages/s, and 6 partitions allow no"
            + " more.");
  }

  @Test
  void unconsumedPartitionsWithLagAreToBeAssigned() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            0,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .partition("orders", 0, 100, 100)
                    .partition("orders", 1, 110, 100)
                    .partition("orders", 2, 120, 100));

    assertThat(evaluation.coverage())
        .isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
    assertRecommends(
        evaluation,
        Action.ASSIGN_UNCONSUMED_PARTITIONS,
        "Assign the unconsumed partitions orders-1, orders-2: no member consumes them and 30"
            + " messages of lag wait there.");
  }

  /** m1 holds all four partitions of orders and m2 none. */
  private static GroupSamples uneven(int i) {
    return GroupSamples.group("g")
        .member("m1", "orders-0", "orders-1", "orders-2", "orders-3")
        .member("m2")
        .partition("orders", 0, 100, 100)
        .partition("orders", 1, 100, 100)
        .partition("orders", 2, 100, 100)
        .partition("orders", 3, 100, 100);
  }

  @Test
  void anUnevenAssignmentIsToBeRebalancedOnceItHasLastedTheRecoveryTime() {
    // the default recovery time of the 10m SLO window is 5m: ten 30s steps
    GroupEvaluation evaluation = evaluate(DEFAULTS, 10, GroupEvaluatorTest::uneven);

    assertThat(evaluation.fairnessGini()).isEqualTo(1.0);
    assertThat(evaluation.fair()).isFalse();
    assertThat(evaluation.recommendation().message())
        .isEqualTo(
            "Rebalance the assignment: members hold between 0 and 4 partitions (Gini 1.00,"
                + " above 0.30).");
  }

  @Test
  void anUnevenAssignmentShorterThanTheRecoveryTimeIsNotRaised() {
    GroupEvaluation evaluation = evaluate(DEFAULTS, 9, GroupEvaluatorTest::uneven);

    assertThat(evaluation.fairnessGini()).isEqualTo(1.0);
    assertThat(evaluation.fair()).isTrue();
    assertThat(evaluation.recommendation().action()).isEqualTo(Action.NONE);
  }

  @Test
  void moreMembersThanPartitionsAreToBeScaledInNotRebalanced() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            10,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .member("m2", "orders-1")
                    .member("m3")
                    .member("m4")
                    .partition("orders", 0, 100, 100)
                    .partition("orders", 1, 100, 100));

    assertThat(evaluation.fair()).isFalse();
    assertRecommends(
        evaluation,
        Action.SCALE_IN,
        "Scale in to 2 consumers: 4 members share 2 partitions, so 2 are idle.");
  }

  @Test
  void aPartitionWithoutCommittedOffsetIsReportedFromTheLogStart() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            0,
            i ->
                GroupSamples.group("g").member("m1", "orders-0").uncommitted("orders", 0, 40, 100));

    assertThat(evaluation.partitions().get(0).lag()).isEqualTo(60);
    assertThat(evaluation.partitions().get(0).lagFrom()).isEqualTo(LagFrom.LOG_START);
    assertThat(evaluation.partitions().get(0).committedOffset()).isNull();
  }

  @Test
  void aFirstLaggingSampleLeavesLagTimeAndComplianceUnknown() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            0,
            i -> GroupSamples.group("g").member("m1", "orders-0").partition("orders", 0, 500, 100));

    assertThat(evaluation.partitions().get(0).lagSeconds()).isNull();
    assertThat(evaluation.lagSeconds().p95()).isNull();
    assertThat(evaluation.sloCompliance()).isNull();
    assertThat(evaluation.sloCompliant()).isTrue();
  }

  @Test
  void aGroupWithoutPartitionsIsCoveredAndHasNoLag() {
    GroupEvaluation evaluation = evaluate(DEFAULTS, 0, i -> GroupSamples.group("g").state("Empty"));

    assertThat(evaluation.coverage()).isEqualTo(1.0);
    assertThat(evaluation.lag()).isEqualTo(new LagStats(0, 0, 0, 0));
    assertThat(evaluation.recommendation().action()).isEqualTo(Action.NONE);
  }

  @Test
  void unownedStuckPartitionsAreStoppedAndTheOthersCounted() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            12,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .partition("orders", 0, 500 + 10L * i, 500 + 10L * i)
                    .partition("orders", 1, 2000 + 10L * i, 1500)
                    .partition("orders", 2, 3000 + 10L * Math.max(0, i - 2), 2900));

    assertThat(evaluation.stuckPartitions())
        .extracting(StuckPartition::reason)
        .containsExactly(StuckReason.STOP, StuckReason.STOP);
    assertThat(evaluation.recommendation().message())
        .isEqualTo(
            "Inspect partition orders-1 at offset 1500: no member consumes it and its committed"
                + " offset has not moved for 6m while 120 messages arrived. Also: inspect partition"
                + " orders-2 at offset 2900.");
    assertThat(evaluation.findings())
        .extracting(Finding::type)
        .containsExactly(Finding.Type.STUCK_PARTITION, Finding.Type.STUCK_PARTITION);
  }

  @Test
  void aRewindIsReportedWithTheOffsetItCameFrom() {
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            6,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .partition("orders", 0, 2000 + 10L * i, i < 2 ? 1500 : 1200 + 10L * i));

    assertThat(evaluation.stuckPartitions())
        .containsExactly(
            new StuckPartition(GroupSamples.ref("orders-0"), at(2), 1260, 800, StuckReason.REWIND));
    assertThat(evaluation.recommendation().message())
        .isEqualTo(
            "Inspect partition orders-0 at offset 1260: its committed offset moved back from 1500"
                + " 2m ago.");
  }

  @Test
  void recordsDeletedBeforeTheGroupReadThemAreReportedLostFirstWithWhatToDo() {
    // the group stands at 874 while retention moves the log start 500 records a sample from 0
    TopicRetention hour = new TopicRetention(3_600_000L, null);
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            4,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0", "orders-1")
                    .partition(
                        new PartitionSample("orders", 0, 500L * i, 3_000 + 100L * i, 874L)
                            .withRetention(hour, -1))
                    .partition(
                        new PartitionSample("orders", 1, 0, 1_000 + 100L * i, 1_000L + 100L * i)
                            .withRetention(hour, -1)));

    // log start 2000 at the newest sample: 1126 records were deleted unread
    assertThat(evaluation.recordsLost()).isEqualTo(1_126);
    assertThat(evaluation.overruns())
        .containsExactly(
            new RetentionOverrun(GroupSamples.ref("orders-0"), 874, 2_000, 1_126, at(2)));
    assertThat(evaluation.partitions().get(0).lag()).isEqualTo(1_400);
    assertThat(evaluation.partitions().get(0).lagFrom()).isEqualTo(LagFrom.LOG_START_AFTER_LOSS);
    Finding lost = evaluation.findings().get(0);
    assertThat(lost.type()).isEqualTo(Finding.Type.RECORDS_LOST);
    assertThat(lost.severity()).isEqualTo(Finding.Severity.CRITICAL);
    assertThat(lost.numbers())
        .containsEntry("recordsLost", 1_126L)
        .containsEntry("committedOffset", 874L)
        .containsEntry("logStartOffset", 2_000L);
    assertThat(lost.sentence())
        .isEqualTo(
            "Add consumers or raise the retention of topic orders (now retention.ms 1h): retention"
                + " deleted 1126 records of orders-0 before the group read them (committed offset"
                + " 874, log start 2000), first seen 1m ago.");
    assertThat(GroupHealth.of(evaluation)).isEqualTo(GroupHealth.CRITICAL);
  }

  @Test
  void aPartitionWhoseOldestUnconsumedRecordRetentionWillDeleteWithinTheWindowIsAtRisk() {
    // 10/s arrive on orders-0; its consumer stopped at 1000 50 minutes before the first sample;
    // retention is 1h, so at the 11th sample (55m behind) the record goes in 5m
    TopicRetention hour = new TopicRetention(3_600_000L, null);
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            10,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0")
                    .partition(
                        new PartitionSample("orders", 0, 0, 1_000 + 300L * (100 + i), 1_000L)
                            .withRetention(hour, -1)));

    assertThat(evaluation.partitions().get(0).lagSeconds()).isCloseTo(3_300.0, within(0.1));
    assertThat(evaluation.lossRisks()).hasSize(1);
    assertThat(evaluation.lossRisks().get(0).risk().secondsUntilLoss())
        .isCloseTo(300.0, within(0.1));
    assertThat(evaluation.findings())
        .extracting(Finding::type)
        .containsExactly(Finding.Type.LOSS_AT_RISK, Finding.Type.STUCK_PARTITION);
    assertThat(evaluation.findings().get(0).sentence())
        .isEqualTo(
            "Check the consumer of orders-0 (m1) and raise the retention of topic orders (now"
                + " retention.ms 1h): orders-0: its oldest unconsumed record (55m old) may be"
                + " deleted in 5m (retention.ms 1h) at the present rates.");
  }

  @Test
  void everyFindingIsListedInOrderOfSeverityAndTheSentenceNamesTheOtherActions() {
    // m1 stalls on orders-0 while it keeps orders-1 current; m2 holds orders-2..5 and falls behind
    GroupEvaluation evaluation =
        evaluate(
            DEFAULTS,
            12,
            i -> {
              GroupSamples sample =
                  GroupSamples.group("g")
                      .member("m1", "orders-0", "orders-1")
                      .member("m2", "orders-2", "orders-3", "orders-4", "orders-5")
                      .partition("orders", 0, 1_000 + 300L * i, 1_000)
                      .partition("orders", 1, 1_000 + 300L * i, 1_000 + 300L * i);
              for (int p = 2; p < 6; p++) {
                sample.partition("orders", p, 1_000 + 300L * i, 1_000 + 150L * i);
              }
              return sample;
            });

    assertThat(evaluation.findings())
        .extracting(Finding::type)
        .containsExactly(
            Finding.Type.STUCK_PARTITION,
            Finding.Type.UNDER_PROVISIONED,
            Finding.Type.UNFAIR_DISTRIBUTION);
    Finding scale = evaluation.findings().get(1);
    assertThat(scale.desiredReplicas()).isGreaterThan(2);
    assertThat(evaluation.recommendation().message())
        .startsWith("Inspect partition orders-0 at offset 1000: ")
        .endsWith(
            " Also: scale out to "
                + scale.desiredReplicas()
                + " consumers; rebalance the assignment.");
    assertThat(evaluation.recommendation().fullText())
        .contains(evaluation.findings().get(0).sentence())
        .contains(scale.sentence());
  }

  /**
   * The demo's pattern: one consumer on six partitions, 40 messages arrive on each per 5s sample
   * and it commits 120 a sample on the one partition whose turn it is, for 15 samples (75s) each.
   */
  private static GroupSamples servedInTurn(int i) {
    GroupSamples sample =
        GroupSamples.group("g")
            .member("m1", "orders-0", "orders-1", "orders-2", "orders-3", "orders-4", "orders-5");
    for (int p = 0; p < 6; p++) {
      long committed = 0;
      for (int step = 1; step <= i; step++) {
        if ((step - 1) / 15 % 6 == p) {
          committed += 120;
        }
      }
      sample.partition("orders", p, 40L * i, Math.min(committed, 40L * i));
    }
    return sample;
  }

  private static final PolicySettings DEMO =
      PolicySettingsBuilder.defaults()
          .interval(Duration.ofSeconds(5))
          .maxLagP95(Duration.ofSeconds(2))
          .sloWindow(Duration.ofMinutes(1))
          .stuckWindow(Duration.ofMinutes(1))
          .build();

  @Test
  void aConsumerServingItsPartitionsInTurnIsASlowGroupNotAChainOfStuckPartitions() {
    // after the first full rotation every partition has both waited and been served
    GroupEvaluation evaluation = evaluate(DEMO, 120, GroupEvaluatorTest::servedInTurn);

    assertThat(evaluation.stuckPartitions()).isEmpty();
    assertThat(evaluation.findings().get(0).type()).isEqualTo(Finding.Type.UNDER_PROVISIONED);
    assertThat(evaluation.findings().get(0).numbers()).containsKey("waitingPartitions");
    assertThat(evaluation.recommendation().message()).startsWith("Scale out to ");
  }

  @Test
  void aPartitionItsHealthyConsumerCannotGetPastStaysStuck() {
    // m1 keeps orders-1 current at every sample while orders-0 never moves: a poison message
    GroupEvaluation evaluation =
        evaluate(
            DEMO,
            60,
            i ->
                GroupSamples.group("g")
                    .member("m1", "orders-0", "orders-1")
                    .partition("orders", 0, 40L * i, 0)
                    .partition("orders", 1, 40L * i, 40L * i - (i % 3)));

    assertThat(evaluation.stuckPartitions())
        .extracting(StuckPartition::ref)
        .containsExactly(GroupSamples.ref("orders-0"));
  }
}
