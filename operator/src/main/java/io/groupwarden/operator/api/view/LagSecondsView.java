package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.LagSecondsStats;

/** Lag in time; either value is null while no partition's lag time is known. */
public record LagSecondsView(Double p95, Double max) {
  static LagSecondsView of(LagSecondsStats lag) {
    return new LagSecondsView(lag.p95(), lag.max());
  }
}
