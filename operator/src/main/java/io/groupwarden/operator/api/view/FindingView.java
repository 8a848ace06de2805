package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.Finding;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem found with a group, as the dashboard lists it: most severe first.
 *
 * @param type {@code RecordsLost}, {@code LossAtRisk}, {@code StuckPartition}, {@code
 *     UnderProvisioned}, {@code SLOViolated}, {@code UnconsumedPartitions}, {@code
 *     UnfairDistribution}, {@code RebalanceInstability} or {@code OverProvisioned} (the names of
 *     status and Events)
 * @param severity {@code CRITICAL}, {@code WARNING} or {@code INFO}
 * @param partition the partition it concerns; null when it concerns the group
 * @param since when it began; null when not known
 * @param numbers the figures it is based on, by name, in the order they are best read (finite
 *     numbers only)
 * @param message what is wrong, with its numbers
 * @param action the kind of action, e.g. {@code PREVENT_DATA_LOSS}, {@code SCALE_OUT}
 * @param advice what to do
 * @param desiredReplicas the consumer count to run, when the action is to scale
 */
public record FindingView(
    String type,
    String severity,
    PartitionRefView partition,
    Instant since,
    Map<String, Number> numbers,
    String message,
    String action,
    String advice,
    Integer desiredReplicas) {

  static FindingView of(Finding f) {
    Map<String, Number> numbers = new LinkedHashMap<>();
    f.numbers()
        .forEach(
            (name, value) -> {
              // JSON has no NaN or Infinity: a figure not known is left out
              if (value != null && Double.isFinite(value.doubleValue())) {
                numbers.put(name, value);
              }
            });
    return new FindingView(
        f.type().label(),
        f.severity().name(),
        f.partition() == null ? null : PartitionRefView.of(f.partition()),
        f.since(),
        numbers,
        f.problem(),
        f.action().name(),
        f.advice(),
        f.desiredReplicas());
  }
}
