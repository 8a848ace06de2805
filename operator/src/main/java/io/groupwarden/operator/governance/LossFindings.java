package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.Finding.Severity;
import io.groupwarden.operator.governance.Finding.Type;
import io.groupwarden.operator.governance.GroupEvaluation.Action;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The findings of records lost to retention and at risk of it: what happened, with its numbers, and
 * what to do given the cause — start a consumer for a partition nobody consumes, check the consumer
 * of a stuck one, add consumers to a group too small, and in each case raise the topic's retention.
 */
final class LossFindings {
  private final Situation situation;
  private final Map<PartitionRef, TopicRetention> retention = new LinkedHashMap<>();

  LossFindings(Situation situation) {
    this.situation = situation;
    situation.latest().partitions().forEach(p -> retention.put(p.ref(), p.retention()));
  }

  Finding lost(RetentionOverrun overrun) {
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("recordsLost", overrun.recordsLost());
    numbers.put("committedOffset", overrun.committedOffset());
    numbers.put("logStartOffset", overrun.logStartOffset());
    String ago = CompactDuration.format(Duration.between(overrun.since(), situation.now()));
    return new Finding(
        Type.RECORDS_LOST,
        Severity.CRITICAL,
        overrun.ref(),
        overrun.since(),
        numbers,
        String.format(
            Locale.ROOT,
            "retention deleted %d records of %s before the group read them (committed offset"
                + " %d, log start %d), first seen %s ago",
            overrun.recordsLost(),
            overrun.ref(),
            overrun.committedOffset(),
            overrun.logStartOffset(),
            ago),
        Action.PREVENT_DATA_LOSS,
        advice(overrun.ref()),
        null);
  }

  Finding atRisk(LossRisk risk) {
    RetentionRisk forecast = risk.risk();
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("lossInSeconds", Math.round(forecast.secondsUntilLoss()));
    numbers.put("lag", risk.lag());
    if (!Double.isNaN(risk.ageSeconds())) {
      numbers.put("oldestUnconsumedAgeSeconds", Math.round(risk.ageSeconds()));
    }
    String when =
        forecast.secondsUntilLoss() <= 0
            ? "at any moment"
            : "in " + CompactDuration.format(Recommender.seconds(forecast.secondsUntilLoss()));
    String problem;
    if (forecast.basis() == RetentionRisk.Basis.AGE) {
      long limit = risk.retention().retentionMillis();
      numbers.put("retentionSeconds", limit / 1000);
      problem =
          String.format(
              Locale.ROOT,
              "its oldest unconsumed record%s may be deleted %s (retention.ms %s) at the present"
                  + " rates",
              Double.isNaN(risk.ageSeconds())
                  ? ""
                  : " (" + CompactDuration.format(Recommender.seconds(risk.ageSeconds())) + " old)",
              when,
              CompactDuration.format(Duration.ofMillis(limit)));
    } else {
      numbers.put("retentionBytes", risk.retention().retentionBytes());
      problem =
          String.format(
              Locale.ROOT,
              "its lag of %d records may outgrow what retention.bytes %d keeps %s at the present"
                  + " rates",
              risk.lag(),
              risk.retention().retentionBytes(),
              when);
    }
    return new Finding(
        Type.LOSS_AT_RISK,
        Severity.CRITICAL,
        risk.ref(),
        null,
        numbers,
        risk.ref() + ": " + problem,
        Action.PREVENT_DATA_LOSS,
        advice(risk.ref()),
        null);
  }

  /** Raise the topic's retention, and deal with what lets the group fall behind. */
  private String advice(PartitionRef ref) {
    String raise = raiseRetention(ref);
    if (situation.owners().get(ref) == null) {
      return "Start a consumer for " + ref + " and " + raise;
    }
    boolean stuck = situation.stuck().stream().anyMatch(f -> f.partition().ref().equals(ref));
    if (stuck) {
      return "Check the consumer of " + ref + " (" + situation.owners().get(ref) + ") and " + raise;
    }
    UnderProvisioned under = situation.underProvisioned();
    if (under != null) {
      Estimate estimate = under.estimate();
      return estimate != null && estimate.replicas() > under.members()
          ? "Scale out to " + Recommender.consumers(estimate.replicas()) + " and " + raise
          : "Speed up the consumers and " + raise;
    }
    return "Add consumers or " + raise;
  }

  private String raiseRetention(PartitionRef ref) {
    TopicRetention limits = retention.get(ref);
    if (limits == null || (limits.retentionMillis() == null && !limits.limitsBytes())) {
      return "raise the retention of topic " + ref.topic();
    }
    List<String> now = new ArrayList<>();
    if (limits.retentionMillis() != null) {
      now.add(
          "retention.ms " + CompactDuration.format(Duration.ofMillis(limits.retentionMillis())));
    }
    if (limits.limitsBytes()) {
      now.add("retention.bytes " + limits.retentionBytes());
    }
    return "raise the retention of topic " + ref.topic() + " (now " + String.join(", ", now) + ")";
  }
}
