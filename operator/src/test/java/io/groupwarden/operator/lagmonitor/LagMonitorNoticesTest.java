package io.groupwarden.operator.lagmonitor;

import static io.groupwarden.operator.support.Sources.kafka;
import static io.groupwarden.operator.support.Sources.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagMonitorNoticesTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private int cycle;

  /** The status of the next check, ten seconds after the previous one. */
  private LagMonitorStatus check(LagMonitorStatus before, Source... sources) {
    return LagMonitorStatusWriter.checked(
        before, 1, List.of(sources), T0.plusSeconds(10L * cycle++));
  }

  private static Source fanout(long lag, Health health) {
    return redis("events", "fanout").lag(lag).health(health).build();
  }

  @Test
  void aSourceMovingThroughTheHealthClassesIsReportedOncePerClass() {
    LagMonitorStatus healthy = check(null, fanout(10, Health.healthy));
    LagMonitorStatus degraded = check(healthy, fanout(500, Health.degraded));
    LagMonitorStatus stillDegraded = check(degraded, fanout(600, Health.degraded));
    LagMonitorStatus unhealthy = check(stillDegraded, fanout(5000, Health.unhealthy));
    LagMonitorStatus recovered = check(unhealthy, fanout(3, Health.healthy));

    assertThat(LagMonitorNotices.between(null, healthy)).isEmpty();
    assertThat(LagMonitorNotices.between(healthy, degraded))
        .containsExactly(Notice.warning("LagDegraded", "redis:events/fanout: lag 500 is degraded"));
    assertThat(LagMonitorNotices.between(degraded, stillDegraded)).isEmpty();
    assertThat(LagMonitorNotices.between(stillDegraded, unhealthy))
        .containsExactly(
            Notice.warning("LagUnhealthy", "redis:events/fanout: lag 5000 is unhealthy"));
    assertThat(LagMonitorNotices.between(unhealthy, recovered))
        .containsExactly(
            Notice.normal("LagRecovered", "redis:events/fanout: lag 3 is healthy again"));
  }

  @Test
  void aNewSourceIsReportedOnlyWhenItIsNotHealthy() {
    LagMonitorStatus first =
        check(null, kafka("orders", "billing").build(), fanout(2000, Health.unhealthy));

    assertThat(LagMonitorNotices.between(null, first))
        .extracting(Notice::reason)
        .containsExactly("LagUnhealthy");
  }

  @Test
  void anUnreachableSourceIsReportedOnceAndItsReturnAsARecovery() {
    Source unreachable = kafka("", "billing").unreachable("cannot reach Kafka at k:9092").build();
    LagMonitorStatus up = check(null, kafka("", "billing").build());
    LagMonitorStatus down = check(up, unreachable);
    LagMonitorStatus stillDown = check(down, unreachable);
    LagMonitorStatus back = check(stillDown, kafka("", "billing").build());

    assertThat(LagMonitorNotices.between(up, down))
        .containsExactly(
            Notice.warning("SourceUnreachable", "kafka:billing: cannot reach Kafka at k:9092"));
    assertThat(LagMonitorNotices.between(down, stillDown)).isEmpty();
    assertThat(LagMonitorNotices.between(stillDown, back))
        .containsExactly(Notice.normal("LagRecovered", "kafka:billing: lag 0 is healthy again"));
  }

  @Test
  void aCycleThatCheckedNothingIsWorthNoEvent() {
    LagMonitorStatus checked = check(null, fanout(10, Health.healthy));
    LagMonitorStatus failed =
        LagMonitorStatusWriter.failed(checked, 2, "InvalidSpec", "spec.interval: too short", T0);
    LagMonitorStatus degradedBefore = check(null, fanout(500, Health.degraded));

    assertThat(LagMonitorNotices.between(checked, failed)).isEmpty();
    assertThat(
            LagMonitorNotices.between(
                degradedBefore,
                LagMonitorStatusWriter.failed(degradedBefore, 2, "InvalidSpec", "bad", T0)))
        .as("the last check is kept, not reported again")
        .isEmpty();
  }
}
