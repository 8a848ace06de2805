package io.groupwarden.operator.policy;

import static io.groupwarden.operator.support.OperatorTestEnvironment.PATIENCE;
import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Health;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.LossRiskStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.OverrunStatus;
import io.groupwarden.operator.support.CustomResources;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import io.groupwarden.operator.support.ProducerLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What lag tools cannot tell, end to end on a real Kafka 4.4 broker: records deleted before the
 * group read them, records about to be, and an honest lag in time once the producer goes quiet.
 */
class RetentionAndLagTimeIT {
  private static final String NS = "team-r";

  @RegisterExtension
  static final OperatorTestEnvironment env = OperatorTestEnvironment.inNamespace(NS);

  private static final CustomResources<ConsumerGroupPolicy, ConsumerGroupPolicyStatus> policies =
      env.resources(ConsumerGroupPolicy.class);

  @Test
  void recordsRetentionDeletesBeforeTheGroupReadsThemAreReportedLost() throws Exception {
    // the smallest segments Kafka 4 allows; DeleteRecords moves the log start as retention would,
    // without waiting for the broker's retention check
    env.kafka()
        .createTopic(
            "lost-orders", 1, Map.of("segment.bytes", "1048576", "retention.ms", "3600000"));
    env.kafka().produce("lost-orders", 1, 100);
    TopicPartition orders0 = new TopicPartition("lost-orders", 0);
    env.kafka().commit("lost-app", Map.of(orders0, 10L));
    policies.applySpec(
        "lost",
        env.policySpec(
            """
            groups: [lost-app]
            recoveryTime: 3s
            """));
    policies.awaitStatus("lost", s -> s.groups() != null && s.groups().get(0).lag().total() == 90);

    env.kafka()
        .admin()
        .deleteRecords(Map.of(orders0, RecordsToDelete.beforeOffset(60)))
        .all()
        .get();

    ConsumerGroupPolicyStatus lost =
        policies.awaitStatus("lost", s -> s.groups().get(0).overrunPartitions() != null);
    GroupStatus group = lost.groups().get(0);
    assertThat(group.overrunPartitions())
        .extracting(
            OverrunStatus::topic,
            OverrunStatus::partition,
            OverrunStatus::committedOffset,
            OverrunStatus::logStartOffset,
            OverrunStatus::recordsLost)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("lost-orders", 0, 10L, 60L, 50L));
    // the lag counts what still exists: 100 - 60, not 100 - 10
    assertThat(group.lag().total()).isEqualTo(40);
    assertThat(group.recordsLost()).isEqualTo(50);
    assertThat(lost.summary().recordsLost()).isEqualTo(50);
    assertThat(lost.summary().health()).isEqualTo(Health.Critical);
    assertThat(condition(lost, "NoDataLoss").status()).isEqualTo("False");
    assertThat(condition(lost, "NoDataLoss").reason()).isEqualTo("RecordsLost");
    assertThat(group.findings().get(0).type()).isEqualTo("RecordsLost");
    assertThat(group.findings().get(0).numbers()).containsEntry("recordsLost", 50);
    assertThat(group.recommendation())
        .startsWith(
            "Start a consumer for lost-orders-0 and raise the retention of topic lost-orders (now"
                + " retention.ms 1h): retention deleted 50 records of lost-orders-0 before the"
                + " group read them (committed offset 10, log start 60)")
        .endsWith("Also: start consumers for the group.");
    env.awaitEvent("lost", "RetentionOverrun");
    await()
        .atMost(PATIENCE)
        .until(
            env::scrape,
            metrics ->
                metrics.contains(
                    "groupwarden_group_records_lost_to_retention_total{group=\"lost-app\","
                        + "lagmonitor=\"\",namespace=\"team-r\",partition=\"0\","
                        + "policy=\"lost\",topic=\"lost-orders\"} 50.0"));

    // the group resumes at the log start: the overrun ends, the loss stays counted
    env.kafka().commit("lost-app", Map.of(orders0, 100L));

    ConsumerGroupPolicyStatus recovered =
        policies.awaitStatus("lost", s -> condition(s, "NoDataLoss").isTrue());
    assertThat(recovered.groups().get(0).overrunPartitions()).isNull();
    assertThat(recovered.summary().recordsLost()).isEqualTo(50);
    env.awaitEvent("lost", "RetentionOverrunRecovered");
    assertThat(env.events("lost", "RetentionOverrun")).hasSize(1);
  }

  @Test
  void unconsumedRecordsRetentionWillDeleteWithinTheWindowAreReportedAtRisk() {
    // retention 10m; the group's oldest unread record was written 9 minutes ago and the group
    // consumes nothing: it may be deleted in about a minute
    env.kafka().createTopic("risk-orders", 1, Map.of("retention.ms", "600000"));
    long written = System.currentTimeMillis() - 540_000;
    for (int i = 0; i < 5; i++) {
      env.kafka().produceAt("risk-orders", 0, written + i, "v" + i);
    }
    env.kafka().commit("risk-app", "risk-orders", 0);
    policies.applySpec("risk", env.policySpec("groups: [risk-app]"));

    ConsumerGroupPolicyStatus risk =
        policies.awaitStatus(
            "risk", s -> s.groups() != null && s.groups().get(0).lossAtRisk() != null);

    LossRiskStatus partition = risk.groups().get(0).lossAtRisk().get(0);
    assertThat(partition.topic()).isEqualTo("risk-orders");
    assertThat(partition.limit()).isEqualTo("retention.ms");
    assertThat(partition.lag()).isEqualTo(5);
    // the record's age is read from its timestamp on the very first sample: 540s of 600s gone
    double elapsed = (System.currentTimeMillis() - written) / 1000.0;
    assertThat(partition.lossInSeconds()).isCloseTo(600 - elapsed, within(5.0));
    assertThat(risk.groups().get(0).lagSeconds().max()).isGreaterThan(539.0);
    assertThat(condition(risk, "NoDataLoss").reason()).isEqualTo("LossAtRisk");
    assertThat(risk.groups().get(0).findings().get(0).type()).isEqualTo("LossAtRisk");
    env.awaitEvent("risk", "RetentionAtRisk");
  }

  @Test
  void aQuietPartitionKeepsAnHonestLagInTimeAfterItsHistoryNoLongerReachesBack() {
    env.kafka().createTopic("quiet-orders", 1);
    TopicPartition orders0 = new TopicPartition("quiet-orders", 0);
    // a 2s window at 1s keeps 12 samples: the history reaches back about 12 seconds
    policies.applySpec(
        "quiet",
        env.policySpec(
            """
            groups: [quiet-app]
            slo: {window: 2s}
            stuck: {window: 2s}
            """));
    env.kafka().commit("quiet-app", Map.of(orders0, 0L));
    try (ProducerLoop producer =
        new ProducerLoop(env.broker().bootstrapServers(), "quiet-orders", 1, 20)) {
      ConsumerGroupPolicyStatus falling =
          policies.awaitStatus(
              "quiet",
              s -> s.groups() != null && "not catching up".equals(s.groups().get(0).catchUp()));
      assertThat(falling.summary().catchUp()).isEqualTo("not catching up");
      assertThat(env.scrape())
          .contains(
              "groupwarden_group_catch_up_seconds{group=\"quiet-app\",lagmonitor=\"\","
                  + "namespace=\"team-r\",partition=\"0\",policy=\"quiet\",topic=\"quiet-orders\"}"
                  + " +Inf");
    }
    long oldestUnread = timestampOf(orders0, 0);

    // long after the producer stopped and the history's last bracketing point is gone, the lag
    // in time is still the age of the oldest unread record, and it goes on growing
    ConsumerGroupPolicyStatus quiet =
        policies.awaitStatus("quiet", s -> s.groups().get(0).lagSeconds().max() > 20);
    double expected =
        (Instant.parse(quiet.lastEvaluationTime()).toEpochMilli() - oldestUnread) / 1000.0;
    assertThat(quiet.groups().get(0).lagSeconds().max()).isCloseTo(expected, within(1.5));
    double first = quiet.groups().get(0).lagSeconds().max();
    policies.awaitStatus("quiet", s -> s.groups().get(0).lagSeconds().max() > first + 2);
  }

  /** The timestamp of the record at an offset, read by a plain consumer of the test's own. */
  private static long timestampOf(TopicPartition partition, long offset) {
    try (KafkaConsumer<String, String> consumer = env.kafka().consumer("quiet-reader", null)) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, offset);
      return await()
          .atMost(PATIENCE)
          .until(
              () ->
                  consumer.poll(Duration.ofMillis(200)).records(partition).stream()
                      .findFirst()
                      .map(ConsumerRecord::timestamp)
                      .orElse(-1L),
              timestamp -> timestamp >= 0);
    }
  }
}
