package io.groupwarden.operator.api;

import java.util.function.Supplier;

/**
 * What the open endpoints report: liveness for the kubelet's restart decision, readiness for
 * traffic, and the Prometheus scrape.
 *
 * @param liveness whether the operator is alive (false once a watch died for good or it stopped)
 * @param readiness whether every controller has synced and its event sources are healthy
 * @param metrics the current Prometheus scrape
 */
public record Probes(
    Supplier<Verdict> liveness, Supplier<Verdict> readiness, Supplier<String> metrics) {

  /** A probe's answer: up or not, and one line saying why. */
  public record Verdict(boolean ok, String text) {
    public static Verdict up(String text) {
      return new Verdict(true, text);
    }

    public static Verdict down(String text) {
      return new Verdict(false, text);
    }
  }
}
