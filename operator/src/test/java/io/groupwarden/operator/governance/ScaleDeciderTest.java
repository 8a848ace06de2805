package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.ScaleDecider.Reason;
import io.groupwarden.operator.governance.ScaleDecider.ScaleDecision;
import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ScaleDeciderTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final ScaleBounds ONE_TO_TEN_OF_TWELVE = new ScaleBounds(1, 10, 12);

  /** Replays recommendations at the given times, feeding each decision into the next. */
  private static final class Autoscaler {
    private int replicas;
    private List<TimedReplicas> history = List.of();

    Autoscaler(int replicas) {
      this.replicas = replicas;
    }

    ScaleDecision recommend(Duration at, int desired) {
      ScaleDecision decision =
          ScaleDecider.decide(
              replicas, desired, ONE_TO_TEN_OF_TWELVE, history, FIVE_MINUTES, T0.plus(at));
      replicas = decision.replicas();
      history = decision.recommendations();
      return decision;
    }
  }

  @Test
  void scalesUpAtOnce() {
    ScaleDecision decision = new Autoscaler(2).recommend(Duration.ZERO, 6);

    assertThat(decision.replicas()).isEqualTo(6);
    assertThat(decision.reason()).isEqualTo(Reason.SCALE_UP);
  }

  @Test
  void scalesDownOnlyToTheHighestRecommendationOfTheLastFiveMinutes() {
    Autoscaler autoscaler = new Autoscaler(2);
    autoscaler.recommend(Duration.ZERO, 6);

    ScaleDecision oneMinute = autoscaler.recommend(Duration.ofMinutes(1), 3);
    ScaleDecision fourMinutes = autoscaler.recommend(Duration.ofMinutes(4), 2);
    ScaleDecision justAfterFive = autoscaler.recommend(Duration.ofSeconds(301), 2);
    ScaleDecision sixMinutes = autoscaler.recommend(Duration.ofSeconds(361), 2);

    assertThat(oneMinute.replicas()).isEqualTo(6);
    assertThat(oneMinute.reason()).isEqualTo(Reason.STABILIZING);
    assertThat(fourMinutes.replicas()).isEqualTo(6);
    assertThat(justAfterFive.replicas()).isEqualTo(3);
    assertThat(justAfterFive.reason()).isEqualTo(Reason.SCALE_DOWN);
    assertThat(sixMinutes.replicas()).isEqualTo(2);
  }

  @Test
  void aSpikeWithinTheWindowHoldsTheReplicasAgain() {
    Autoscaler autoscaler = new Autoscaler(2);
    autoscaler.recommend(Duration.ZERO, 2);
    autoscaler.recommend(Duration.ofMinutes(1), 8);
    ScaleDecision afterSpike = autoscaler.recommend(Duration.ofMinutes(2), 2);
    ScaleDecision later = autoscaler.recommend(Duration.ofMinutes(5), 2);

    assertThat(afterSpike.replicas()).isEqualTo(8);
    assertThat(later.replicas()).isEqualTo(8);
    assertThat(autoscaler.recommend(Duration.ofMinutes(6).plusSeconds(1), 2).replicas())
        .isEqualTo(2);
  }

  @Test
  void neverMoreReplicasThanPartitions() {
    ScaleDecision decision =
        ScaleDecider.decide(2, 40, new ScaleBounds(1, 50, 8), List.of(), FIVE_MINUTES, T0);

    assertThat(decision.replicas()).isEqualTo(8);
  }

  @Test
  void aMinimumAboveThePartitionCountGivesWayToIt() {
    ScaleDecision decision =
        ScaleDecider.decide(2, 0, new ScaleBounds(6, 10, 4), List.of(), FIVE_MINUTES, T0);

    assertThat(decision.replicas()).isEqualTo(4);
  }

  @Test
  void moreReplicasThanAllowedAreScaledDownAtOnce() {
    ScaleDecision decision =
        ScaleDecider.decide(
            12,
            12,
            new ScaleBounds(1, 10, 12),
            List.of(new TimedReplicas(T0.minusSeconds(10), 12)),
            FIVE_MINUTES,
            T0);

    assertThat(decision.replicas()).isEqualTo(10);
    assertThat(decision.reason()).isEqualTo(Reason.SCALE_DOWN);
    assertThat(decision.message()).contains("at most 10 are allowed");
  }

  @Test
  void recommendationsOlderThanTheWindowAreForgotten() {
    ScaleDecision decision =
        ScaleDecider.decide(
            4,
            4,
            ONE_TO_TEN_OF_TWELVE,
            List.of(
                new TimedReplicas(T0.minus(Duration.ofMinutes(6)), 9),
                new TimedReplicas(T0.minus(Duration.ofMinutes(1)), 5)),
            FIVE_MINUTES,
            T0);

    assertThat(decision.recommendations())
        .containsExactly(
            new TimedReplicas(T0.minus(Duration.ofMinutes(1)), 5), new TimedReplicas(T0, 4));
  }

  @Property
  void theDecisionIsAlwaysWithinTheBounds(
      @ForAll @IntRange(min = 0, max = 100) int current,
      @ForAll @IntRange(min = -10, max = 200) int desired,
      @ForAll @IntRange(min = 0, max = 20) int min,
      @ForAll @IntRange(min = 0, max = 100) int max,
      @ForAll @IntRange(min = 0, max = 64) int partitions,
      @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 200) Integer> earlier) {
    ScaleBounds bounds = new ScaleBounds(min, max, partitions);
    List<TimedReplicas> history = new ArrayList<>();
    for (int i = 0; i < earlier.size(); i++) {
      history.add(new TimedReplicas(T0.minusSeconds(30L * (earlier.size() - i)), earlier.get(i)));
    }

    ScaleDecision decision =
        ScaleDecider.decide(current, desired, bounds, history, FIVE_MINUTES, T0);

    assertThat(decision.replicas()).isBetween(bounds.floor(), bounds.ceiling());
  }

  @Property
  void neverScalesDownBelowARecommendationWithinTheWindow(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 30) Integer> desired,
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 120) Integer> gapsSeconds) {
    ScaleBounds bounds = new ScaleBounds(1, 20, 16);
    int replicas = 1;
    List<TimedReplicas> history = List.of();
    List<TimedReplicas> all = new ArrayList<>();
    Instant now = T0;
    for (int i = 0; i < desired.size(); i++) {
      now = now.plusSeconds(gapsSeconds.get(i % gapsSeconds.size()));
      ScaleDecision decision =
          ScaleDecider.decide(replicas, desired.get(i), bounds, history, FIVE_MINUTES, now);
      all.add(new TimedReplicas(now, bounds.clamp(desired.get(i))));
      if (decision.replicas() < replicas) {
        Instant windowStart = now.minus(FIVE_MINUTES);
        int highestInWindow =
            all.stream()
                .filter(r -> r.time().isAfter(windowStart))
                .mapToInt(TimedReplicas::replicas)
                .max()
                .orElseThrow();
        assertThat(decision.replicas()).isGreaterThanOrEqualTo(highestInWindow);
      }
      replicas = decision.replicas();
      history = decision.recommendations();
    }
  }
}
