package io.groupwarden.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluator;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.TopicRetention;
import io.groupwarden.operator.insight.GroupTrend;
import io.groupwarden.operator.lag.history.GroupImage;
import io.groupwarden.operator.lag.history.LagHistory;
import io.groupwarden.operator.snapshot.SnapshotCodec.GroupSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group's history written as a snapshot and read back is the same history: the same image, the
 * same evaluation, and the next samples are judged as they would have been without the restart
 * (stuck runs, rewinds, rebalances, partitions without a commit, offsets beyond an int's range).
 */
class SnapshotCodecTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final PolicySettings SETTINGS =
      new PolicySettings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          null,
          0.95,
          Duration.ofMinutes(2),
          0.3,
          Duration.ofSeconds(40),
          70,
          Duration.ofMinutes(10),
          10,
          null,
          null);

  private static MemberSample member(String id, String client, PartitionRef... assignment) {
    return new MemberSample(id, null, client, "/10.0.0." + id.length(), List.of(assignment));
  }

  /**
   * Sample {@code t}: orders-0 keeps up; orders-1 is stuck at 500 while its log grows; orders-2 has
   * no committed offset; big-0 has offsets beyond an int; at t = 6 orders-0 rewinds; at t = 8 a
   * third member joins.
   */
  private static GroupSample sample(int t) {
    PartitionRef o0 = new PartitionRef("orders", 0);
    PartitionRef o1 = new PartitionRef("orders", 1);
    PartitionRef o2 = new PartitionRef("orders", 2);
    PartitionRef big = new PartitionRef("big", 0);
    List<MemberSample> members = new ArrayList<>();
    // orders-1 has a member of its own, so that it is stuck, not waiting for its turn
    members.add(member("m-0", "app-0", o1));
    if (t < 8) {
      members.add(member("m-1", "app-1", o0, o2, big));
    } else {
      members.add(member("m-1", "app-1", o0));
      members.add(member("m-22", "app-2", o2, big));
    }
    long committed0 = t == 6 ? 100L * t - 250 : 100L * t;
    return new GroupSample(
        "billing",
        T0.plusSeconds(10L * t),
        t == 7 ? "PreparingRebalance" : "Stable",
        "range",
        null,
        members,
        List.of(
            new PartitionSample("orders", 0, -1, 100L * t + 5, committed0),
            new PartitionSample("orders", 1, -1, 1000 + 50L * t, 500L),
            new PartitionSample("orders", 2, 7, 7 + 3L * t, null),
            new PartitionSample("big", 0, -1, 5_000_000_000L * t + 10, 1L + t)));
  }

  @Test
  void aHistoryReadBackFromItsSnapshotIsTheSameAndGoesOnTheSameWay() {
    LagHistory original = LagHistory.sizedFor(SETTINGS);
    GroupTrend trend = new GroupTrend(20);
    for (int t = 0; t < 7; t++) {
      original.record(sample(t));
      trend.add(sample(t).time().toEpochMilli(), evaluate(original, sample(t).time()));
    }
    GroupImage image = original.image("billing").orElseThrow();
    byte[] bytes =
        SnapshotCodec.encode(
            new GroupSnapshot("shop/orders", sample(6).time(), image, trend.points()));

    GroupSnapshot read = SnapshotCodec.decode("shop/orders", "billing", bytes);
    LagHistory restored = LagHistory.sizedFor(SETTINGS);
    restored.restore(read.history());

    assertThat(read.takenAt()).isEqualTo(sample(6).time());
    assertThat(read.trend()).containsExactly(trend.points());
    assertThat(encode(restored, read)).isEqualTo(bytes);
    GroupEvaluation before = evaluate(original, sample(6).time());
    assertThat(evaluate(restored, sample(6).time())).isEqualTo(before);
    assertThat(before.stuckPartitions()).extracting(s -> s.ref().toString()).contains("orders-1");
    assertThat(before.stuckPartitions())
        .filteredOn(s -> s.ref().toString().equals("orders-0"))
        .singleElement()
        .satisfies(s -> assertThat(s.reason().name()).isEqualTo("REWIND"));

    // the next samples: a rebalance starts, then a member joins
    for (int t = 7; t < 12; t++) {
      original.record(sample(t));
      restored.record(sample(t));
      assertThat(evaluate(restored, sample(t).time()))
          .as("sample " + t)
          .isEqualTo(evaluate(original, sample(t).time()));
    }
    assertThat(evaluate(restored, sample(11).time()).rebalances()).isEqualTo(1);
  }

  @Test
  void aSnapshotThatCannotBeReadIsRefusedWithAClearMessage() {
    LagHistory history = LagHistory.sizedFor(SETTINGS);
    history.record(sample(0));
    byte[] bytes =
        SnapshotCodec.encode(
            new GroupSnapshot(
                "shop/orders",
                T0,
                history.image("billing").orElseThrow(),
                new GroupTrend.Point[0]));

    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> SnapshotCodec.decode("shop/orders", "billing", cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/orders group billing cannot be read");
    byte[] otherVersion = bytes.clone();
    otherVersion[0] = 9;
    assertThatThrownBy(() -> SnapshotCodec.decode("shop/orders", "billing", otherVersion))
        .hasMessageContaining("version 9");
    assertThat(SnapshotCodec.readKey(SnapshotCodec.key("shop/orders", "a/b")))
        .isEqualTo(new SnapshotCodec.Key("shop/orders", "a/b"));
  }

  /**
   * Sample {@code t} of a group losing records: events-0 is stuck at 100 while retention moves the
   * log start past it from t = 3; events-1 moves slowly and its oldest unconsumed record ages
   * toward the topic's {@code retention.ms}.
   */
  private static GroupSample losing(int t) {
    TopicRetention retention = new TopicRetention(300_000L, null);
    Instant time = T0.plusSeconds(10L * t);
    PartitionRef e0 = new PartitionRef("events", 0);
    PartitionRef e1 = new PartitionRef("events", 1);
    return new GroupSample(
        "audit",
        time,
        "Stable",
        "range",
        null,
        List.of(member("m-1", "auditor", e0, e1)),
        List.of(
            new PartitionSample(
                "events",
                0,
                t < 3 ? 0 : 60L * t,
                1000 + 200L * t,
                100L,
                time.minusSeconds(250).toEpochMilli(),
                40_000,
                retention),
            new PartitionSample(
                "events",
                1,
                0,
                5000 + 400L * t,
                2000 + 10L * t,
                time.minusSeconds(200 + 5L * t).toEpochMilli(),
                90_000,
                retention)));
  }

  @Test
  void recordsLostCatchUpAndHysteresisSurviveTheSnapshot() {
    LagHistory original = LagHistory.sizedFor(SETTINGS);
    GroupEvaluation before = null;
    for (int t = 0; t < 8; t++) {
      original.record(losing(t));
      before = evaluateKeepingAlerts(original, "audit", losing(t).time());
    }
    assertThat(before.recordsLost()).isPositive();
    assertThat(before.overruns()).extracting(o -> o.ref().toString()).containsExactly("events-0");
    assertThat(before.lossRisks()).extracting(r -> r.ref().toString()).contains("events-1");
    assertThat(before.catchUp().text()).isEqualTo("not catching up");
    assertThat(before.alerts()).isNotEqualTo(GroupAlerts.NONE);
    assertThat(before.alerts().overruns()).containsKey(new PartitionRef("events", 0));
    assertThat(before.findings()).extracting(f -> f.type().label()).contains("RecordsLost");

    GroupImage image = original.image("audit").orElseThrow();
    byte[] bytes =
        SnapshotCodec.encode(
            new GroupSnapshot("shop/audit", losing(7).time(), image, new GroupTrend.Point[0]));
    GroupSnapshot read = SnapshotCodec.decode("shop/audit", "audit", bytes);
    LagHistory restored = LagHistory.sizedFor(SETTINGS);
    restored.restore(read.history());

    assertThat(read.history().alerts()).isEqualTo(image.alerts());
    assertThat(restored.alerts("audit")).isEqualTo(original.alerts("audit"));
    assertThat(
            SnapshotCodec.encode(
                new GroupSnapshot(
                    "shop/audit",
                    losing(7).time(),
                    restored.image("audit").orElseThrow(),
                    new GroupTrend.Point[0])))
        .isEqualTo(bytes);
    for (int p = 0; p < 2; p++) {
      assertThat(read.history().partitions().get(p).newest())
          .isEqualTo(losing(7).partitions().get(p));
    }

    // the next evaluations raise and clear exactly as they would have without the restart
    for (int t = 8; t < 14; t++) {
      original.record(losing(t));
      restored.record(losing(t));
      GroupEvaluation expected = evaluateKeepingAlerts(original, "audit", losing(t).time());
      assertThat(evaluateKeepingAlerts(restored, "audit", losing(t).time()))
          .as("sample " + t)
          .isEqualTo(expected);
    }
    assertThat(evaluateKeepingAlerts(restored, "audit", losing(13).time()).recordsLost())
        .isEqualTo(60L * 13 - 100);
  }

  /**
   * Evaluates a group with the hysteresis state its previous evaluation left, as the policy does.
   */
  private static GroupEvaluation evaluateKeepingAlerts(
      LagHistory history, String groupId, Instant now) {
    return history.evaluate(groupId, SETTINGS, now).orElseThrow();
  }

  private static byte[] encode(LagHistory history, GroupSnapshot like) {
    return SnapshotCodec.encode(
        new GroupSnapshot(
            like.cluster(), like.takenAt(), history.image("billing").orElseThrow(), like.trend()));
  }

  private static GroupEvaluation evaluate(LagHistory history, Instant now) {
    return history
        .read("billing", timeline -> GroupEvaluator.evaluate(timeline, SETTINGS, now))
        .orElseThrow();
  }
}
