package io.groupwarden.e2e;

import static io.groupwarden.e2e.ParityWorkload.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.KafkaBroker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's evaluation of the same workload on the coordinator broker and on Apache Kafka 4.4
 * gives the same lag, state, membership and coverage: the coordinator is a faithful stand-in for
 * what groupwarden governs.
 */
class CoordinatorLagParityIT {

  private static final ParityWorkload WORKLOAD = new ParityWorkload("parity");

  @Test
  void theSameWorkloadHasTheSameLagOnTheCoordinatorAndOnApacheKafka() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    try (Coordinator coordinator = InProcessCoordinator.start("parity-coordinator");
        OperatorHarness harness = OperatorHarness.start()) {
      for (String bootstrap : List.of(coordinator.bootstrapServers(), kafka.bootstrapServers())) {
        WORKLOAD.write(bootstrap, Map.of());
      }
      try (ConsumerLoop onCoordinator =
              WORKLOAD.liveMember(coordinator.bootstrapServers(), Map.of());
          ConsumerLoop onKafka = WORKLOAD.liveMember(kafka.bootstrapServers(), Map.of())) {
        KubernetesClient client = harness.client();
        ParityPolicies.apply(
            client, "on-coordinator", coordinator.bootstrapServers(), WORKLOAD.groups());
        ParityPolicies.apply(client, "on-kafka", kafka.bootstrapServers(), WORKLOAD.groups());

        ConsumerGroupPolicyStatus viaCoordinator = WORKLOAD.settled(client, "on-coordinator");
        ConsumerGroupPolicyStatus viaKafka = WORKLOAD.settled(client, "on-kafka");

        GroupStatus committedOnly = group(viaCoordinator, "parity-app");
        assertThat(committedOnly.lag().total()).isEqualTo(50); // 40-10, 30-30, 20 from log start
        assertThat(committedOnly.uncommittedPartitions()).containsExactly("parity-orders-2");
        WORKLOAD.assertGroupsAlike(viaCoordinator, viaKafka);
        for (String groupId : WORKLOAD.groups()) {
          GroupStatus a = group(viaCoordinator, groupId);
          GroupStatus b = group(viaKafka, groupId);
          assertThat(a.coverage()).as(groupId + " coverage").isEqualTo(b.coverage());
          assertThat(a.fairnessGini()).as(groupId + " Gini").isEqualTo(b.fairnessGini());
        }
        assertThat(viaCoordinator.summary().totalLag()).isEqualTo(viaKafka.summary().totalLag());
      }
    }
  }
}
