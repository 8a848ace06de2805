package io.groupwarden.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.GroupwardenOperator;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator is stopped in the middle of the windows and started again: its first evaluation
 * continues the SLO window and the stuck partition's run from the snapshots the first one wrote to
 * the governed cluster, instead of starting them over.
 */
class HistorySurvivesRestartIT {

  @Test
  void sloComplianceAndAStuckPartitionsSinceContinueAcrossARestart() {
    KafkaBroker broker = KafkaBroker.shared();
    try (OperatorHarness harness =
            OperatorHarness.start(Map.of("GROUPWARDEN_HISTORY_TOPIC", "restart-history"));
        ContinuityScenario scenario = new ContinuityScenario(broker, "restart", "restart")) {
      scenario.apply(harness.client(), broker.bootstrapServers());
      ConsumerGroupPolicyStatus before =
          scenario.awaitStatus(
              harness.client(),
              s -> scenario.stuckSince(s).isPresent() && scenario.sloCompliance(s).isPresent());
      String since = scenario.stuckSince(before).orElseThrow();
      assertThat(scenario.sloCompliance(before)).contains(0.5);
      // a few more samples of the lagging partition inside the SLO window
      Instant later = Instant.parse(before.lastEvaluationTime()).plusSeconds(3);
      scenario.awaitStatus(harness.client(), s -> ContinuityScenario.evaluatedAfter(s, later));

      harness.operator().close();
      scenario.catchUp();
      Instant restarted = Instant.now();
      try (GroupwardenOperator second =
          new GroupwardenOperator(
                  OperatorConfig.fromEnvironment(
                      Map.of(
                          "GROUPWARDEN_HTTP_PORT", "0",
                          "GROUPWARDEN_LEADER_ELECTION", "false",
                          "GROUPWARDEN_KAFKA_TIMEOUT", "3s",
                          "GROUPWARDEN_HISTORY_TOPIC", "restart-history")),
                  harness.client(),
                  Clock.systemUTC(),
                  GroupwardenOperator.Mode.MOCK_API_SERVER)
              .start()) {
        ConsumerGroupPolicyStatus after =
            scenario.awaitStatus(
                harness.client(), s -> ContinuityScenario.evaluatedAfter(s, restarted));

        // the first evaluation after the restart: the run and the window go on
        assertThat(scenario.stuckSince(after)).contains(since);
        assertThat(scenario.sloCompliance(after)).contains(0.5);
        assertThat(Instant.parse(since)).isBefore(restarted.minusSeconds(3));
      }
    }
  }
}
