package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.CompactDuration;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.RetentionRisk;
import java.time.Duration;

/**
 * A partition whose oldest unconsumed record retention may delete within the SLO window, at the
 * present rates.
 *
 * @param lossIn when it may be deleted, e.g. {@code 40m}; {@code 0s} when it may go at any moment
 * @param lossInSeconds the same in seconds
 * @param lag lag in messages now
 * @param limit {@code retention.ms} or {@code retention.bytes}: the limit that deletes it first
 */
public record LossRiskView(
    PartitionRefView ref, String lossIn, double lossInSeconds, long lag, String limit) {
  static LossRiskView of(LossRisk r) {
    double seconds = Math.max(0, r.risk().secondsUntilLoss());
    return new LossRiskView(
        PartitionRefView.of(r.ref()),
        CompactDuration.format(Duration.ofMillis(Math.round(seconds * 1000))),
        seconds,
        r.lag(),
        r.risk().basis() == RetentionRisk.Basis.AGE ? "retention.ms" : "retention.bytes");
  }
}
