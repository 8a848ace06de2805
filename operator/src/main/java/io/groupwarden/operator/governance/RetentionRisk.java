package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.PartitionSample;

/**
 * When retention will delete the oldest record a group has not consumed yet, at the present rates:
 * the opposite side of a retention overrun, told before it happens. Retention deletes whole
 * segments, so a record usually lives somewhat longer than its limit says; the forecast is the
 * earliest time it may go.
 *
 * <ul>
 *   <li><b>By age</b> ({@code retention.ms} = R): the oldest unconsumed record is A seconds old
 *       (the partition's lag in time). It ages one second per second, less what consumption takes
 *       off: consuming C of the P messages that arrive per second moves the oldest unconsumed
 *       record forward by C / P seconds of production per second. So A grows at {@code 1 − C / P}
 *       per second and reaches R after {@code (R − A) / (1 − C / P)}. With nothing arriving (P = 0)
 *       the backlog's spacing is unknown and A is taken to grow at 1 per second, unless the group
 *       catches up first. A consumer as fast as the producer is never overtaken unless A is already
 *       past R.
 *   <li><b>By size</b> ({@code retention.bytes} = L): a partition of B bytes holding M records
 *       keeps about {@code N = L × M / B} records; the oldest unconsumed record goes once the lag
 *       exceeds N, which it reaches after {@code (N − lag) / (P − C)} when P exceeds C.
 * </ul>
 *
 * The earlier of the two is the forecast.
 *
 * @param secondsUntilLoss seconds until the oldest unconsumed record may be deleted; 0 when it may
 *     go at any moment
 * @param basis which limit deletes it first
 */
public record RetentionRisk(double secondsUntilLoss, Basis basis) {

  /** The retention limit a forecast comes from. */
  public enum Basis {
    AGE,
    SIZE
  }

  /**
   * The forecast for one partition, or null when retention will not overtake the group at the
   * present rates (or nothing is behind, or the limits are unknown).
   *
   * @param sample the partition's newest sample, with its topic's retention and its size
   * @param lag its lag in messages
   * @param ageSeconds the age of its oldest unconsumed record (its lag in time), NaN when unknown
   * @param rates its production and consumption rates and whether it catches up
   */
  public static RetentionRisk of(
      PartitionSample sample, long lag, double ageSeconds, CatchUp rates) {
    TopicRetention retention = sample.retention();
    if (lag <= 0 || retention == null) {
      return null;
    }
    double produced = rates.producedPerSecond();
    double consumed =
        Double.isNaN(rates.consumedPerSecond()) ? 0 : Math.max(0, rates.consumedPerSecond());
    RetentionRisk byAge = null;
    if (retention.retentionMillis() != null && !Double.isNaN(ageSeconds)) {
      byAge = byAge(retention.retentionMillis() / 1000.0, ageSeconds, produced, consumed, rates);
    }
    RetentionRisk bySize = null;
    if (retention.retentionBytes() != null && sample.sizeBytes() > 0) {
      bySize = bySize(sample, retention.retentionBytes(), lag, produced, consumed);
    }
    if (byAge == null) {
      return bySize;
    }
    if (bySize == null) {
      return byAge;
    }
    return bySize.secondsUntilLoss() < byAge.secondsUntilLoss() ? bySize : byAge;
  }

  private static RetentionRisk byAge(
      double limit, double age, double produced, double consumed, CatchUp rates) {
    if (age >= limit) {
      return new RetentionRisk(0, Basis.AGE);
    }
    double growth = produced > 0 ? 1 - consumed / produced : 1;
    if (growth <= 0) {
      return null;
    }
    double seconds = (limit - age) / growth;
    if (rates.state() == CatchUp.State.CATCHING_UP && rates.seconds() < seconds) {
      return null;
    }
    return new RetentionRisk(seconds, Basis.AGE);
  }

  private static RetentionRisk bySize(
      PartitionSample sample, long limitBytes, long lag, double produced, double consumed) {
    long records = sample.logEndOffset() - Math.max(0, sample.logStartOffset());
    if (records <= 0) {
      return null;
    }
    double kept = (double) limitBytes * records / sample.sizeBytes();
    if (lag >= kept) {
      return new RetentionRisk(0, Basis.SIZE);
    }
    if (produced <= consumed) {
      return null;
    }
    return new RetentionRisk((kept - lag) / (produced - consumed), Basis.SIZE);
  }
}
