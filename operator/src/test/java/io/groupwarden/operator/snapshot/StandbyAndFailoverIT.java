package io.groupwarden.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.GroupwardenOperator;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.support.LeaseReplicas;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas elect a leader through a Lease on the mock API server. The standby serves the
 * insight API from the leader's snapshots; when the leader stops, the standby takes over and its
 * first evaluation continues the SLO window and the stuck partition's run.
 */
class StandbyAndFailoverIT {

  private static GroupwardenOperator replica(KubernetesClient client, String identity) {
    return LeaseReplicas.replica(
        client,
        identity,
        Map.of(
            "GROUPWARDEN_KAFKA_TIMEOUT", "3s",
            "GROUPWARDEN_API_TOKEN", "t0ken",
            "GROUPWARDEN_STANDBY_REFRESH", "1s",
            "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY", "1s",
            "GROUPWARDEN_HISTORY_TOPIC", "failover-history"));
  }

  @Test
  void theStandbyServesTheLeadersHistoryAndContinuesItWhenItTakesOver() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    try (OperatorHarness api =
            OperatorHarness.start(Map.of("GROUPWARDEN_LEADER_ELECTION", "false"));
        ContinuityScenario scenario = new ContinuityScenario(broker, "ha", "failover")) {
      LeaseReplicas.prepare(api);
      KubernetesClient client = api.client();
      GroupwardenOperator first = replica(client, "replica-a").start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "replica-a".equals(LeaseReplicas.holder(client)));
      try (GroupwardenOperator second = replica(client, "replica-b").start()) {
        scenario.apply(client, broker.bootstrapServers());
        ConsumerGroupPolicyStatus led =
            scenario.awaitStatus(
                client,
                s -> scenario.stuckSince(s).isPresent() && scenario.sloCompliance(s).isPresent());
        String since = scenario.stuckSince(led).orElseThrow();
        assertThat(first.leading()).isTrue();
        assertThat(second.leading()).isFalse();

        // the standby answers the insight API from the leader's snapshots
        JsonNode served =
            await()
                .atMost(ContinuityScenario.PATIENCE)
                .ignoreExceptions()
                .until(
                    () -> get(second, "/api/v1/consumers/groups/" + scenario.stuckGroup),
                    d -> d.path("group").path("stuckPartitions").size() == 1);
        assertThat(served.path("servedFrom").asText()).isEqualTo("SNAPSHOT");
        // status shows whole seconds, the API the sample's millisecond
        assertThat(
                Instant.parse(
                        served.path("group").path("stuckPartitions").get(0).path("since").asText())
                    .truncatedTo(ChronoUnit.SECONDS))
            .isEqualTo(Instant.parse(since));
        JsonNode history =
            get(second, "/api/v1/consumers/groups/" + scenario.sloGroup + "/history");
        assertThat(history.path("times").size()).isGreaterThan(1);
        assertThat(history.path("partitions").size()).isEqualTo(2);

        scenario.catchUp();
        first.close();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> "replica-b".equals(LeaseReplicas.holder(client)));
        Instant tookOver = Instant.now();
        ConsumerGroupPolicyStatus after =
            scenario.awaitStatus(client, s -> ContinuityScenario.evaluatedAfter(s, tookOver));

        assertThat(second.leading()).isTrue();
        assertThat(scenario.stuckSince(after)).contains(since);
        assertThat(scenario.sloCompliance(after)).contains(0.5);
        assertThat(
                get(second, "/api/v1/consumers/groups/" + scenario.stuckGroup)
                    .path("servedFrom")
                    .asText())
            .isEqualTo("LEADER");
      } finally {
        first.close();
      }
    }
  }

  private static JsonNode get(GroupwardenOperator replica, String path) throws Exception {
    return TestResources.getJson(replica::httpPort, "t0ken", path);
  }
}
