package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import java.util.List;
import java.util.Map;

/**
 * The workload the lag-parity tests run on each cluster they compare, its topics and groups named
 * after {@code prefix} so that the plain and the secured test do not share names: a group {@code
 * <prefix>-app} that only commits, on topic {@code <prefix>-orders}, and a group {@code
 * <prefix>-live} with one member consuming topic {@code <prefix>-live}.
 */
public record ParityWorkload(String prefix) {

  public String orders() {
    return prefix + "-orders";
  }

  public String app() {
    return prefix + "-app";
  }

  public String live() {
    return prefix + "-live";
  }

  /** Both groups, the committing one first. */
  public List<String> groups() {
    return List.of(app(), live());
  }

  /**
   * 40, 30 and 20 records on three partitions of the orders topic; the app group commits 10 and 30,
   * nothing on the third. 25 records on the live topic.
   */
  public void write(String bootstrap, Map<String, Object> security) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap, security)) {
      clients.createTopic(orders(), 3);
      clients.createTopic(live(), 2);
      for (int p = 0; p < 3; p++) {
        int count = 40 - 10 * p;
        for (int i = 0; i < count; i++) {
          clients.produceTo(orders(), p, "r" + i);
        }
      }
      clients.produce(live(), 2, 25);
      clients.commit(app(), orders(), 10, 30);
    }
  }

  /** The live group's one member, consuming until closed. */
  public ConsumerLoop liveMember(String bootstrap, Map<String, Object> security) {
    try (KafkaTestClients clients = new KafkaTestClients(bootstrap, security)) {
      return new ConsumerLoop(clients.consumer(live(), "live-0"), List.of(live()));
    }
  }

  /** Policy {@code name}'s status once the live group is stable with its member and caught up. */
  public ConsumerGroupPolicyStatus settled(KubernetesClient client, String name) {
    return ParityPolicies.awaitStatus(
        client,
        name,
        s ->
            s.groups() != null
                && s.groups().size() == 2
                && "Stable".equals(group(s, live()).state())
                && group(s, live()).members() == 1
                && group(s, live()).lag().total() == 0);
  }

  /**
   * Asserts that both statuses show each group alike: lag, state, members, topics and uncommitted
   * partitions.
   */
  public void assertGroupsAlike(ConsumerGroupPolicyStatus a, ConsumerGroupPolicyStatus b) {
    for (String groupId : groups()) {
      GroupStatus x = group(a, groupId);
      GroupStatus y = group(b, groupId);
      assertThat(x.lag()).as(groupId + " lag").isEqualTo(y.lag());
      assertThat(x.state()).as(groupId + " state").isEqualTo(y.state());
      assertThat(x.members()).as(groupId + " members").isEqualTo(y.members());
      assertThat(x.topics()).as(groupId + " topics").isEqualTo(y.topics());
      assertThat(x.uncommittedPartitions()).as(groupId).isEqualTo(y.uncommittedPartitions());
    }
  }

  /** The status of {@code groupId}, which the policy's status must hold. */
  public static GroupStatus group(ConsumerGroupPolicyStatus status, String groupId) {
    return status.groups().stream()
        .filter(g -> g.groupId().equals(groupId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no group " + groupId));
  }
}
