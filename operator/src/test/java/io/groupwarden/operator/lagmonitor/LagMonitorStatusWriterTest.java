package io.groupwarden.operator.lagmonitor;

import static io.groupwarden.operator.support.Sources.kafka;
import static io.groupwarden.operator.support.Sources.redis;
import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagMonitorStatusWriterTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.750Z");

  @Test
  void aCheckSortsTheSourcesCountsThemByHealthAndSumsTheKnownLag() {
    LagMonitorStatus status =
        LagMonitorStatusWriter.checked(
            null,
            3,
            List.of(
                redis("events", "fanout").lag(500L).health(Health.degraded).build(),
                kafka("orders", "billing").lag(40L).build(),
                redis("events", "audit").lag(null).health(Health.degraded).build(),
                kafka("orders", "audit").lag(2000L).health(Health.unhealthy).build()),
            T0);

    assertThat(status.sources())
        .extracting(s -> s.kind() + ":" + s.name() + "/" + s.group())
        .containsExactly(
            "kafka:orders/audit",
            "kafka:orders/billing",
            "redis:events/audit",
            "redis:events/fanout");
    assertThat(status.sourceCount()).isEqualTo(4);
    assertThat(status.totalLag()).isEqualTo(2540);
    assertThat(status.maxLag()).isEqualTo(2000);
    assertThat(status.healthy()).isEqualTo(1);
    assertThat(status.degraded()).isEqualTo(2);
    assertThat(status.unhealthy()).isEqualTo(1);
    assertThat(status.health()).isEqualTo(Health.unhealthy);
    assertThat(status.lastCheckTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(status.observedGeneration()).isEqualTo(3);
    assertThat(condition(status, "Ready").reason()).isEqualTo("Checked");
    assertThat(condition(status, "SourcesReachable").isTrue()).isTrue();
  }

  @Test
  void anUnreachableSourceIsNamedAndItsLagIsNotCounted() {
    LagMonitorStatus status =
        LagMonitorStatusWriter.checked(
            null,
            1,
            List.of(
                kafka("", "billing").unreachable("cannot reach Kafka at k:9092").build(),
                redis("events", "fanout").lag(7L).build()),
            T0);

    assertThat(status.totalLag()).isEqualTo(7);
    assertThat(status.maxLag()).isEqualTo(7);
    assertThat(status.health()).isEqualTo(Health.unhealthy);
    Condition reachable = condition(status, "SourcesReachable");
    assertThat(reachable.status()).isEqualTo(Condition.FALSE);
    assertThat(reachable.reason()).isEqualTo("SourceUnreachable");
    assertThat(reachable.message()).isEqualTo("cannot read kafka:billing");
    assertThat(condition(status, "Ready").isTrue()).as("the monitor itself works").isTrue();
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
    List<Source> sources = List.of(redis("events", "fanout").build());
    LagMonitorStatus first = LagMonitorStatusWriter.checked(null, 1, sources, T0);
    LagMonitorStatus second = LagMonitorStatusWriter.checked(first, 1, sources, T0.plusSeconds(60));

    assertThat(condition(second, "Ready").lastTransitionTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(second.lastCheckTime()).isEqualTo("2026-11-24T10:01:00Z");
  }

  @Test
  void aFailureKeepsTheLastCheckAndSaysWhyOnReady() {
    LagMonitorStatus checked =
        LagMonitorStatusWriter.checked(
            null, 1, List.of(redis("events", "fanout").lag(12L).build()), T0);

    LagMonitorStatus failed =
        LagMonitorStatusWriter.failed(
            checked, 2, "SecretNotFound", "spec.redis.uriSecretRef: Secret r not found", T0);

    Condition ready = condition(failed, "Ready");
    assertThat(ready.status()).isEqualTo(Condition.FALSE);
    assertThat(ready.reason()).isEqualTo("SecretNotFound");
    assertThat(ready.observedGeneration()).isEqualTo(2);
    assertThat(failed.observedGeneration()).isEqualTo(2);
    assertThat(failed.sources()).isEqualTo(checked.sources());
    assertThat(failed.totalLag()).isEqualTo(12);
    assertThat(failed.lastCheckTime()).isEqualTo(checked.lastCheckTime());
    assertThat(condition(failed, "SourcesReachable"))
        .isEqualTo(condition(checked, "SourcesReachable"));
  }

  @Test
  void aFailureBeforeAnyCheckHasNoSources() {
    LagMonitorStatus failed =
        LagMonitorStatusWriter.failed(null, 1, "InvalidSpec", "spec: set spec.kafka", T0);

    assertThat(failed.sources()).isNull();
    assertThat(failed.sourceCount()).isZero();
    assertThat(failed.lastCheckTime()).isNull();
    assertThat(failed.conditions()).extracting(Condition::type).containsExactly("Ready");
  }
}
