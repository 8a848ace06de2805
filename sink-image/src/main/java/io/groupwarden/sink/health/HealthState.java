package io.groupwarden.sink.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What the worker's loop reports about itself, read by the HTTP thread: the loop writes, {@link
 * #liveness()} and {@link #readiness()} read. Every field is volatile; no answer needs two of them
 * to agree exactly.
 */
public final class HealthState {
  static final String UP = "UP";
  static final String DOWN = "DOWN";

  /** Liveness fails when the loop has not come round for this long: it is stuck. */
  public static final Duration STUCK_AFTER = Duration.ofMinutes(5);

  private final Clock clock;
  private final BooleanSupplier storeWritable;
  private volatile Instant lastLoop;
  private volatile boolean stopping;
  private volatile boolean stopped;
  private volatile boolean joined;
  private volatile boolean kafkaUnreachable;
  private volatile boolean storeOutage;
  private volatile Throwable failure;

  /**
   * @param storeWritable whether the store's client sees a server it can write to (asked on each
   *     readiness check)
   */
  public HealthState(Clock clock, BooleanSupplier storeWritable) {
    this.clock = clock;
    this.storeWritable = storeWritable;
    this.lastLoop = clock.instant();
  }

  /** The loop came round once more. */
  public void loopCameRound() {
    lastLoop = clock.instant();
  }

  /** The consumer joined its group (it may own no partition). */
  public void joined() {
    joined = true;
  }

  /** Whether the worker has lost contact with Kafka. */
  public void kafkaUnreachable(boolean unreachable) {
    kafkaUnreachable = unreachable;
  }

  /** Whether the batch being written waits for MongoDB to come back. */
  public void storeOutage(boolean outage) {
    storeOutage = outage;
  }

  public void stopping() {
    stopping = true;
  }

  public void failed(Throwable error) {
    failure = error;
  }

  public void stopped() {
    stopped = true;
  }

  public Throwable failure() {
    return failure;
  }

  public Liveness liveness() {
    boolean stuck = Duration.between(lastLoop, clock.instant()).compareTo(STUCK_AFTER) > 0;
    boolean up = failure == null && !stopped && !stuck;
    String detail =
        failure != null ? "failed" : stuck ? "stuck" : stopping || stopped ? "stopping" : "running";
    return new Liveness(up ? UP : DOWN, detail);
  }

  /** Ready: alive, in the group, Kafka reachable, and MongoDB writable. */
  public Readiness readiness() {
    boolean kafka = joined && !stopping && !kafkaUnreachable;
    boolean mongo = !storeOutage && storeWritable.getAsBoolean();
    boolean up = kafka && mongo && liveness().up();
    return new Readiness(up ? UP : DOWN, kafka ? UP : DOWN, mongo ? UP : DOWN);
  }
}
