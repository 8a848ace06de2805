package io.groupwarden.operator.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a raw replica recommendation into a decision that does not flap, the way the Kubernetes
 * HorizontalPodAutoscaler does: scale up at once; scale down only as far as the highest
 * recommendation seen within the scale-down stabilization window, so a short dip in lag does not
 * remove replicas that the next spike needs. Every recommendation is clamped to the bounds first.
 * Used by the ConsumerGroupPolicy autoscaler and the MongoSink reconciler alike; the caller keeps
 * the returned recommendations and passes them back next time.
 */
public final class ScaleDecider {
  private ScaleDecider() {}

  /** A recommendation made at some time. */
  public record TimedReplicas(Instant time, int replicas) {}

  /** Why the decision is what it is. */
  public enum Reason {
    /** More replicas are needed: applied at once. */
    SCALE_UP,
    /** Fewer replicas suffice and have for the whole stabilization window. */
    SCALE_DOWN,
    /** Fewer replicas would do now, but a higher recommendation within the window holds them. */
    STABILIZING,
    /** The current count is what is recommended. */
    UNCHANGED
  }

  /**
   * A decision.
   *
   * @param replicas the count to run
   * @param reason why
   * @param message one sentence for status or an event
   * @param recommendations the recommendations to pass to the next call: those within the window,
   *     and this one
   */
  public record ScaleDecision(
      int replicas, Reason reason, String message, List<TimedReplicas> recommendations) {
    public ScaleDecision {
      recommendations = List.copyOf(recommendations);
    }
  }

  /**
   * Decides how many replicas to run.
   *
   * @param current the replicas running now
   * @param rawDesired what the lag asks for, before bounds
   * @param bounds the allowed counts
   * @param history earlier recommendations, as returned by the previous decision
   * @param stabilization the scale-down stabilization window
   * @param now the time of this decision
   */
  public static ScaleDecision decide(
      int current,
      long rawDesired,
      ScaleBounds bounds,
      List<TimedReplicas> history,
      Duration stabilization,
      Instant now) {
    int desired = bounds.clamp(rawDesired);
    Instant windowStart = now.minus(stabilization);
    List<TimedReplicas> kept = new ArrayList<>();
    int highestInWindow = desired;
    for (TimedReplicas past : history) {
      if (past.time().isAfter(windowStart) && !past.time().isAfter(now)) {
        kept.add(past);
        highestInWindow = Math.max(highestInWindow, bounds.clamp(past.replicas()));
      }
    }
    kept.add(new TimedReplicas(now, desired));

    if (desired > current) {
      return new ScaleDecision(
          desired,
          Reason.SCALE_UP,
          "Scaling up from " + current + " to " + desired + " replicas.",
          kept);
    }
    int target = Math.min(current, highestInWindow);
    if (target < current) {
      return new ScaleDecision(
          target,
          Reason.SCALE_DOWN,
          "Scaling down from "
              + current
              + " to "
              + target
              + " replicas: "
              + (current > bounds.ceiling()
                  ? "at most " + bounds.ceiling() + " are allowed."
                  : "no more were recommended in the last "
                      + CompactDuration.format(stabilization)
                      + "."),
          kept);
    }
    if (desired < current) {
      return new ScaleDecision(
          current,
          Reason.STABILIZING,
          "Keeping "
              + current
              + " replicas although "
              + desired
              + " would do: "
              + highestInWindow
              + " were recommended within the last "
              + CompactDuration.format(stabilization)
              + ".",
          kept);
    }
    return new ScaleDecision(
        current, Reason.UNCHANGED, "Keeping " + current + " replicas as recommended.", kept);
  }
}
