package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupEvaluation.LagStats;

/** Lag in messages over a group's partitions. */
public record LagView(long p50, long p95, long max, long total) {
  static LagView of(LagStats lag) {
    return new LagView(lag.p50(), lag.p95(), lag.max(), lag.total());
  }
}
