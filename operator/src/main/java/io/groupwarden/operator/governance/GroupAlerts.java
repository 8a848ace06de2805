package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The problems of one group with hysteresis ({@link Latch}), carried from one evaluation to the
 * next, so that every condition and Event built on them changes only on a real transition.
 *
 * <p>A problem is raised when it has held for its window and cleared when the healthy state has
 * held for the recovery time ({@link PolicySettings#recoveryAfter}, by default the smaller of the
 * problem's window and 5 minutes):
 *
 * <ul>
 *   <li>SLO violation, stuck partitions and rebalance instability are already judged over their
 *       windows (the p95 over {@code slo.window}, no progress for {@code stuck.window}, rebalances
 *       over {@code rebalance.window}), so they are raised when the evaluation finds them; each
 *       recovers over its own window.
 *   <li>An uneven assignment has no window of its own, and every rebalance makes one for a moment:
 *       it is raised when it has lasted the recovery time of the SLO window.
 *   <li>Records lost, records at risk and an under-provisioned group are raised at once (the loss
 *       has happened; the forecast already looks a window ahead) and recover over the SLO window.
 * </ul>
 *
 * @param sloViolation the SLO violation, with the compliance last seen
 * @param unfair the uneven assignment, with the Gini coefficient last seen
 * @param unstable the rebalance instability, with the rebalance count last seen
 * @param underProvisioned the group that cannot keep up
 * @param stuck the stuck partitions
 * @param overruns the partitions that lost records
 * @param lossRisks the partitions at risk of losing records
 */
public record GroupAlerts(
    Latch<Double> sloViolation,
    Latch<Double> unfair,
    Latch<Integer> unstable,
    Latch<UnderProvisioned> underProvisioned,
    Map<PartitionRef, Latch<Detection>> stuck,
    Map<PartitionRef, Latch<RetentionOverrun>> overruns,
    Map<PartitionRef, Latch<LossRisk>> lossRisks) {

  /** No problem pending or raised: a group seen for the first time. */
  public static final GroupAlerts NONE =
      new GroupAlerts(null, null, null, null, Map.of(), Map.of(), Map.of());

  public GroupAlerts {
    stuck = Map.copyOf(stuck);
    overruns = Map.copyOf(overruns);
    lossRisks = Map.copyOf(lossRisks);
  }

  /**
   * The problems as one evaluation found them, before hysteresis; a null or empty value is a
   * problem that is absent.
   */
  public record Observed(
      Double sloViolation,
      Double unfair,
      Integer unstable,
      UnderProvisioned underProvisioned,
      Map<PartitionRef, Detection> stuck,
      Map<PartitionRef, RetentionOverrun> overruns,
      Map<PartitionRef, LossRisk> lossRisks) {}

  /** The state after observing the group's problems at {@code now}. */
  public GroupAlerts next(Observed observed, PolicySettings settings, Instant now) {
    Duration sloRecovery = settings.recoveryAfter(settings.sloWindow());
    Duration rebalanceRecovery = settings.recoveryAfter(settings.rebalanceWindow());
    Duration stuckRecovery = settings.recoveryAfter(settings.stuckWindow());
    return new GroupAlerts(
        Latch.step(sloViolation, observed.sloViolation(), Duration.ZERO, sloRecovery, now),
        Latch.step(unfair, observed.unfair(), sloRecovery, sloRecovery, now),
        Latch.step(unstable, observed.unstable(), Duration.ZERO, rebalanceRecovery, now),
        Latch.step(underProvisioned, observed.underProvisioned(), Duration.ZERO, sloRecovery, now),
        Latch.stepAll(stuck, observed.stuck(), Duration.ZERO, stuckRecovery, now),
        Latch.stepAll(overruns, observed.overruns(), Duration.ZERO, sloRecovery, now),
        Latch.stepAll(lossRisks, observed.lossRisks(), Duration.ZERO, sloRecovery, now));
  }

  public boolean sloViolated() {
    return raised(sloViolation);
  }

  public boolean unfairRaised() {
    return raised(unfair);
  }

  public boolean unstableRaised() {
    return raised(unstable);
  }

  /** The under-provisioned group, when raised; null otherwise. */
  public UnderProvisioned underProvisionedRaised() {
    return raised(underProvisioned) ? underProvisioned.subject() : null;
  }

  /** The raised stuck partitions, as last seen, sorted by partition. */
  public List<Detection> stuckRaised() {
    return raisedSubjects(stuck);
  }

  /** The raised overruns, as last seen, sorted by partition. */
  public List<RetentionOverrun> overrunsRaised() {
    return raisedSubjects(overruns);
  }

  /** The raised risks of loss, as last seen, sorted by partition. */
  public List<LossRisk> lossRisksRaised() {
    return raisedSubjects(lossRisks);
  }

  private static boolean raised(Latch<?> latch) {
    return latch != null && latch.raised();
  }

  private static <T> List<T> raisedSubjects(Map<PartitionRef, Latch<T>> latches) {
    List<Map.Entry<PartitionRef, Latch<T>>> raised = new ArrayList<>();
    for (Map.Entry<PartitionRef, Latch<T>> entry : latches.entrySet()) {
      if (entry.getValue().raised()) {
        raised.add(entry);
      }
    }
    raised.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
    return raised.stream().map(entry -> entry.getValue().subject()).toList();
  }
}
