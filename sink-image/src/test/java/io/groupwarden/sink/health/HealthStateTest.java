package io.groupwarden.sink.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthStateTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicBoolean writable = new AtomicBoolean(true);
  private final HealthState health = new HealthState(clock, writable::get);

  @Test
  void readyOnlyInTheGroupWithKafkaReachableAndTheStoreWritable() {
    assertThat(health.readiness()).isEqualTo(new Readiness("DOWN", "DOWN", "UP"));
    health.joined();
    assertThat(health.readiness()).isEqualTo(new Readiness("UP", "UP", "UP"));

    health.kafkaUnreachable(true);
    assertThat(health.readiness()).isEqualTo(new Readiness("DOWN", "DOWN", "UP"));
    health.kafkaUnreachable(false);

    health.storeOutage(true);
    assertThat(health.readiness()).isEqualTo(new Readiness("DOWN", "UP", "DOWN"));
    health.storeOutage(false);
    writable.set(false);
    assertThat(health.readiness()).isEqualTo(new Readiness("DOWN", "UP", "DOWN"));
    writable.set(true);

    health.stopping();
    assertThat(health.readiness().up()).as("a stopping worker takes no traffic").isFalse();
    assertThat(health.liveness()).isEqualTo(new Liveness("UP", "stopping"));
  }

  @Test
  void livenessFailsWhenTheLoopIsStuckFailedOrStopped() {
    assertThat(health.liveness()).isEqualTo(new Liveness("UP", "running"));
    clock.advance(HealthState.STUCK_AFTER.plus(Duration.ofSeconds(1)));
    assertThat(health.liveness()).isEqualTo(new Liveness("DOWN", "stuck"));
    health.loopCameRound();
    assertThat(health.liveness().up()).isTrue();

    health.failed(new IllegalStateException("boom"));
    assertThat(health.liveness()).isEqualTo(new Liveness("DOWN", "failed"));
    assertThat(health.failure()).hasMessage("boom");
  }

  @Test
  void aStoppedWorkerIsNotAlive() {
    health.joined();
    health.stopped();
    assertThat(health.liveness().up()).isFalse();
    assertThat(health.readiness().up()).isFalse();
  }
}
