package io.groupwarden.operator.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatchTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  /** Feeds presence per 30s step; returns, per step, whether the problem is raised. */
  private static List<Boolean> raisedPerStep(
      Duration raiseAfter, Duration recoverAfter, boolean... present) {
    List<Boolean> raised = new ArrayList<>();
    Latch<String> latch = null;
    for (int i = 0; i < present.length; i++) {
      latch =
          Latch.step(
              latch,
              present[i] ? "p" : null,
              raiseAfter,
              recoverAfter,
              T0.plus(STEP.multipliedBy(i)));
      raised.add(latch != null && latch.raised());
    }
    return raised;
  }

  @Test
  void aProblemWithoutRaiseDelayIsRaisedAtOnceAndClearedAfterTheRecoveryTime() {
    // present at steps 0-1, absent from step 2: cleared at step 12, 5m after step 2
    boolean[] present = new boolean[14];
    present[0] = present[1] = true;

    List<Boolean> raised = raisedPerStep(Duration.ZERO, FIVE_MINUTES, present);

    assertThat(raised.subList(0, 12)).containsOnly(true);
    assertThat(raised.subList(12, 14)).containsOnly(false);
  }

  @Test
  void aProblemThatComesAndGoesWithinTheRecoveryTimeStaysRaisedOnce() {
    // present one step in three, as a partition that a slow consumer serves in turn
    boolean[] present = new boolean[30];
    for (int i = 0; i < present.length; i += 3) {
      present[i] = true;
    }

    List<Boolean> raised = raisedPerStep(Duration.ZERO, FIVE_MINUTES, present);

    assertThat(raised).containsOnly(true);
  }

  @Test
  void aProblemWithARaiseDelayIsRaisedOnlyWhenItHasHeldThatLong() {
    boolean[] present = new boolean[12];
    java.util.Arrays.fill(present, true);

    List<Boolean> raised = raisedPerStep(FIVE_MINUTES, FIVE_MINUTES, present);

    // 5m after step 0 is step 10
    assertThat(raised.subList(0, 10)).containsOnly(false);
    assertThat(raised.subList(10, 12)).containsOnly(true);
  }

  @Test
  void aPendingProblemThatGoesAwayStartsAfreshWhenItReturns() {
    boolean[] present = {true, true, true, false, true, true, true, true, true, true, true, true};

    List<Boolean> raised = raisedPerStep(Duration.ofMinutes(2), FIVE_MINUTES, present);

    // step 3 broke the run: the run from step 4 reaches 2m at step 8
    assertThat(raised.subList(0, 8)).containsOnly(false);
    assertThat(raised.get(8)).isTrue();
  }

  @Test
  void whileItRecoversTheLastSubjectSeenIsKept() {
    Latch<String> latch = Latch.step(null, "offset 874", Duration.ZERO, FIVE_MINUTES, T0);
    latch = Latch.step(latch, null, Duration.ZERO, FIVE_MINUTES, T0.plus(STEP));

    assertThat(latch.raised()).isTrue();
    assertThat(latch.subject()).isEqualTo("offset 874");
    assertThat(latch.resolvedSince()).isEqualTo(T0.plus(STEP));
  }

  @Test
  void keyedProblemsAreLatchedOneByOne() {
    Map<String, Latch<Integer>> latches =
        Latch.stepAll(Map.of(), Map.of("a", 1, "b", 2), Duration.ZERO, FIVE_MINUTES, T0);
    latches = Latch.stepAll(latches, Map.of("a", 3), Duration.ZERO, FIVE_MINUTES, T0.plus(STEP));

    assertThat(latches.get("a").subject()).isEqualTo(3);
    assertThat(latches.get("b").raised()).isTrue();
    assertThat(latches.get("b").resolvedSince()).isEqualTo(T0.plus(STEP));

    latches =
        Latch.stepAll(
            latches, Map.of("a", 3), Duration.ZERO, FIVE_MINUTES, T0.plus(FIVE_MINUTES).plus(STEP));
    assertThat(latches).containsOnlyKeys("a");
  }

  @Test
  void theDefaultRecoveryTimeIsTheSmallerOfTheWindowAndFiveMinutes() {
    PolicySettings defaults = PolicySettings.defaults();

    assertThat(defaults.recoveryAfter(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.recoveryAfter(Duration.ofHours(1))).isEqualTo(FIVE_MINUTES);
    assertThat(
            PolicySettingsBuilder.defaults()
                .recoveryTime(Duration.ofMinutes(15))
                .build()
                .recoveryAfter(Duration.ofMinutes(1)))
        .isEqualTo(Duration.ofMinutes(15));
  }
}
