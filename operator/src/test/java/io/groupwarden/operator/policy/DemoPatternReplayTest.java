package io.groupwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.governance.Finding;
import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluator;
import io.groupwarden.operator.governance.GroupSamples;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.PolicySettingsBuilder;
import io.groupwarden.operator.lag.history.LagHistory;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Replays the local runner's slow group through the whole path a reconcile takes — history,
 * evaluation with hysteresis, status, Events — and counts the Events. The pattern: one consumer on
 * six partitions, 8 messages a second arriving on each (48/s), and the consumer handling 24/s. It
 * serves one partition at a time, as Kafka's fetcher hands it one partition's records at a time: it
 * works through the backlog that partition had when its turn began, then moves to the next. The
 * turns grow with the backlog, so after a few rounds every partition waits minutes for its turn,
 * far beyond the one-minute stuck window.
 */
class DemoPatternReplayTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int PARTITIONS = 6;
  private static final long ARRIVING_PER_SAMPLE = 40;
  private static final long CONSUMED_PER_SAMPLE = 120;

  /** The local runner's policy: interval 5s, p95 within 2s over 1m, stuck after 1m. */
  private static final PolicySettings DEMO =
      PolicySettingsBuilder.defaults()
          .interval(INTERVAL)
          .maxLagP95(Duration.ofSeconds(2))
          .sloWindow(Duration.ofMinutes(1))
          .stuckWindow(Duration.ofMinutes(1))
          .build();

  /** The consumer's state: where each partition is, and whose turn it is until which offset. */
  private static final class SlowConsumer {
    final long[] logEnd = new long[PARTITIONS];
    final long[] committed = new long[PARTITIONS];
    int turn;
    long turnEndsAt;

    GroupSamples next() {
      for (int p = 0; p < PARTITIONS; p++) {
        logEnd[p] += ARRIVING_PER_SAMPLE;
      }
      long budget = CONSUMED_PER_SAMPLE;
      while (budget > 0) {
        if (committed[turn] >= turnEndsAt) {
          turn = (turn + 1) % PARTITIONS;
          turnEndsAt = logEnd[turn];
        }
        long step = Math.min(budget, turnEndsAt - committed[turn]);
        committed[turn] += step;
        budget -= step;
      }
      GroupSamples sample =
          GroupSamples.group("demo-shipping")
              .member(
                  "shipping-1",
                  "demo-orders-0",
                  "demo-orders-1",
                  "demo-orders-2",
                  "demo-orders-3",
                  "demo-orders-4",
                  "demo-orders-5");
      for (int p = 0; p < PARTITIONS; p++) {
        sample.partition("demo-orders", p, logEnd[p], committed[p]);
      }
      return sample;
    }
  }

  private record Replay(List<Notice> notices, GroupEvaluation last, int stuckEvaluations) {}

  private static Replay replay(PolicySettings settings, int samples, IntFunction<GroupSamples> at) {
    LagHistory history = LagHistory.sizedFor(settings);
    GroupAlerts alerts = GroupAlerts.NONE;
    ConsumerGroupPolicyStatus status = null;
    List<Notice> notices = new ArrayList<>();
    GroupEvaluation evaluation = null;
    int stuckEvaluations = 0;
    for (int i = 0; i < samples; i++) {
      Instant now = T0.plus(settings.interval().multipliedBy(i));
      history.record(at.apply(i).at(now).build());
      evaluation =
          GroupEvaluator.evaluate(
              history.group("demo-shipping").orElseThrow(), settings, now, alerts);
      alerts = evaluation.alerts();
      if (!evaluation.stuckPartitions().isEmpty()) {
        stuckEvaluations++;
      }
      ConsumerGroupPolicyStatus next =
          PolicyStatusWriter.evaluated(
              status, 1, settings, List.of(evaluation), Map.of(), List.of(), null, null, now);
      notices.addAll(PolicyNotices.between(status, next, settings));
      status = next;
    }
    return new Replay(notices, evaluation, stuckEvaluations);
  }

  private static Map<String, Integer> countByReason(List<Notice> notices) {
    Map<String, Integer> counts = new TreeMap<>();
    notices.forEach(n -> counts.merge(n.reason(), 1, Integer::sum));
    return counts;
  }

  @Test
  void aSlowConsumerServingSixPartitionsInTurnIsOneSlowGroupAndOneEvent() {
    SlowConsumer consumer = new SlowConsumer();

    // 40 minutes at 5s
    Replay replay = replay(DEMO, 480, i -> consumer.next());

    // the turns did grow beyond the stuck window: the pattern the stuck rules alone would flap on
    assertThat(consumer.committed[0]).isLessThan(consumer.logEnd[0] - 60 * 8);
    assertThat(countByReason(replay.notices()))
        .as("events: %s", replay.notices())
        .isEqualTo(Map.of(PolicyNotices.SLO_VIOLATION, 1));
    assertThat(replay.stuckEvaluations()).isZero();
    Finding first = replay.last().findings().get(0);
    assertThat(first.type()).isEqualTo(Finding.Type.UNDER_PROVISIONED);
    assertThat(first.advice()).isEqualTo("Scale out to 6 consumers");
    assertThat(first.numbers().get("waitingPartitions").intValue()).isGreaterThan(0);
    assertThat(replay.last().catchUp().text()).isEqualTo("not catching up");
  }

  @Test
  void aPartitionStuckAgainWithinTheRecoveryTimeMakesOneEventEachWay() {
    // orders-0's consumer stalls for 2m, moves for 30s, stalls for 2m, then recovers for good;
    // orders-1 on the same consumer stays current throughout
    IntFunction<GroupSamples> pattern =
        i -> {
          long moving = 0;
          for (int step = 1; step <= i; step++) {
            boolean stalled = (step > 12 && step <= 36) || (step > 42 && step <= 66);
            moving += stalled ? 0 : 40;
          }
          return GroupSamples.group("demo-shipping")
              .member("shipping-1", "orders-0", "orders-1")
              .partition("orders", 0, 40L * i, moving)
              .partition("orders", 1, 40L * i, 40L * i);
        };
    PolicySettings settings =
        PolicySettingsBuilder.defaults()
            .interval(INTERVAL)
            .maxLagP95Messages(100_000)
            .sloWindow(Duration.ofMinutes(1))
            .stuckWindow(Duration.ofMinutes(1))
            .recoveryTime(Duration.ofMinutes(2))
            .build();

    Replay replay = replay(settings, 150, pattern);

    // the stall is raised once (after 1m), survives the 30s of progress, and clears 2m after the
    // second stall ended
    assertThat(countByReason(replay.notices()))
        .as("events: %s", replay.notices())
        .isEqualTo(Map.of(PolicyNotices.STUCK_PARTITION, 1, PolicyNotices.STUCK_RECOVERED, 1));
  }
}
