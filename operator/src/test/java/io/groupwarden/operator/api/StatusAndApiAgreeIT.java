package io.groupwarden.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.FindingStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.MemberStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.ProducerLoop;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * A ConsumerGroupPolicy's status names the members of a group (client id, host, partitions) and the
 * insight API lists them with their assignment; for one evaluation both say the same numbers.
 */
class StatusAndApiAgreeIT {

  @Test
  void statusAndApiNameTheSameMembersAndNumbers() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    try (KafkaTestClients kafka = new KafkaTestClients(broker.bootstrapServers());
        OperatorHarness harness = OperatorHarness.start()) {
      kafka.createTopic("agree-orders", 4);
      try (ProducerLoop producer =
              new ProducerLoop(broker.bootstrapServers(), "agree-orders", 4, 10);
          ConsumerLoop one =
              new ConsumerLoop(
                  kafka.consumer(
                      "agree-app", null, Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "agree-one")),
                  List.of("agree-orders"));
          ConsumerLoop two =
              new ConsumerLoop(
                  kafka.consumer(
                      "agree-app", null, Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "agree-two")),
                  List.of("agree-orders"))) {
        TestResources.applySpec(
            harness.client(),
            ConsumerGroupPolicy.class,
            "agree",
            "agree",
            """
            kafka: {bootstrapServers: "%s"}
            groups: [agree-app]
            interval: 2s
            """
                .formatted(broker.bootstrapServers()));

        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(300))
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  ConsumerGroupPolicyStatus status =
                      harness
                          .client()
                          .resources(ConsumerGroupPolicy.class)
                          .inNamespace("agree")
                          .withName("agree")
                          .get()
                          .getStatus();
                  JsonNode detail = get(harness, "/api/v1/consumers/groups/agree-app");
                  // the same evaluation: status keeps whole seconds
                  assertThat(
                          Instant.parse(detail.path("evaluatedAt").asText())
                              .truncatedTo(ChronoUnit.SECONDS))
                      .isEqualTo(Instant.parse(status.lastEvaluationTime()));
                  GroupStatus group = status.groups().get(0);
                  assertThat(group.members()).isEqualTo(2);
                  assertThat(group.memberDetails())
                      .extracting(MemberStatus::clientId)
                      .containsExactly("agree-one", "agree-two");

                  JsonNode api = detail.path("group");
                  assertThat(api.path("members").asInt()).isEqualTo(group.members());
                  assertThat(api.path("lag").path("total").asLong()).isEqualTo(group.lag().total());
                  assertThat(api.path("lag").path("max").asLong()).isEqualTo(group.lag().max());
                  assertThat(api.path("rebalanceScore").asInt()).isEqualTo(group.rebalanceScore());
                  assertThat(api.path("coverage").asDouble()).isEqualTo(group.coverage());
                  // the governance numbers: records lost, catch-up, findings in the same order
                  assertThat(api.path("recordsLost").asLong())
                      .isEqualTo(group.recordsLost() == null ? 0 : group.recordsLost());
                  assertThat(api.path("catchUp").textValue()).isEqualTo(group.catchUp());
                  assertThat(api.path("recommendation").path("message").asText())
                      .isEqualTo(group.recommendation());
                  List<String> findings = new ArrayList<>();
                  api.path("findings").forEach(f -> findings.add(f.path("type").asText()));
                  assertThat(findings)
                      .isEqualTo(
                          group.findings() == null
                              ? List.of()
                              : group.findings().stream().map(FindingStatus::type).toList());
                  List<String> clients = new ArrayList<>();
                  int assigned = 0;
                  for (JsonNode member : detail.path("memberDetails")) {
                    clients.add(member.path("clientId").asText());
                    assigned += member.path("partitions").asInt();
                    MemberStatus named =
                        group.memberDetails().stream()
                            .filter(m -> m.clientId().equals(member.path("clientId").asText()))
                            .findFirst()
                            .orElseThrow();
                    assertThat(member.path("host").asText()).isEqualTo(named.host());
                    assertThat(member.path("partitions").asInt()).isEqualTo(named.partitions());
                    assertThat(member.path("assignment").size()).isEqualTo(named.partitions());
                  }
                  assertThat(clients).containsExactly("agree-one", "agree-two");
                  assertThat(assigned).isEqualTo(4);
                });
      }
    }
  }

  private static JsonNode get(OperatorHarness harness, String path) throws Exception {
    return TestResources.getJson(harness.operator()::httpPort, "test-token", path);
  }
}
