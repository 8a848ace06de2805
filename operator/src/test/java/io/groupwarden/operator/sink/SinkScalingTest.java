package io.groupwarden.operator.sink;

import static io.groupwarden.operator.support.MongoSinks.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import io.groupwarden.operator.sink.SinkScaling.Decision;
import io.groupwarden.operator.sink.SinkScaling.Reason;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkScalingTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void withoutReplicasOrAutoscaleOneWorkerPerPartition() {
    Decision decision = SinkScaling.decide(topic("orders").spec(), 6, 1_000_000, 2, List.of(), T0);

    assertThat(decision.replicas()).isEqualTo(6);
    assertThat(decision.reason()).isEqualTo(Reason.FollowsPartitions);
  }

  @Test
  void fixedReplicasAreKeptButCappedAtThePartitionCount() {
    assertThat(
            SinkScaling.decide(topic("orders").replicas(2).spec(), 6, 0, 6, List.of(), T0)
                .replicas())
        .isEqualTo(2);

    Decision capped =
        SinkScaling.decide(topic("orders").replicas(10).spec(), 6, 0, 6, List.of(), T0);
    assertThat(capped.replicas()).isEqualTo(6);
    assertThat(capped.reason()).isEqualTo(Reason.CappedAtPartitions);
    assertThat(capped.message()).contains("10").contains("6 partitions");
  }

  @Test
  void autoscaleFollowsLagWithinBoundsAndScalesDownOnlyAfterStabilization() {
    MongoSinkSpec spec = topic("orders").autoscale(1, 4, 100, "5m").spec();

    Decision up = SinkScaling.decide(spec, 6, 350, 1, List.of(), T0);
    assertThat(up.replicas()).isEqualTo(4); // ceil(350/100) = 4, within max 4
    assertThat(up.reason()).isEqualTo(Reason.ScaledUp);

    List<TimedReplicas> history = up.recommendations();
    Decision early = SinkScaling.decide(spec, 6, 0, 4, history, T0.plusSeconds(120));
    assertThat(early.replicas()).isEqualTo(4);
    assertThat(early.reason()).isEqualTo(Reason.Stabilizing);

    Decision later =
        SinkScaling.decide(spec, 6, 0, 4, early.recommendations(), T0.plusSeconds(301));
    assertThat(later.replicas()).isEqualTo(1);
    assertThat(later.reason()).isEqualTo(Reason.ScaledDown);
  }

  @Test
  void autoscaleNeverExceedsThePartitionCount() {
    MongoSinkSpec spec = topic("orders").autoscale(1, 50, 10, "5m").spec();

    assertThat(SinkScaling.decide(spec, 3, 10_000, 1, List.of(), T0).replicas()).isEqualTo(3);
  }
}
