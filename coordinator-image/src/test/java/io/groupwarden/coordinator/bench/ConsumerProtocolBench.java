package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.bench.CoordinatorBenchmark.Result;
import io.groupwarden.testkit.ChildProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;

/**
 * The consumer protocol (KIP-848) part of the coordinator benchmark: steady ConsumerGroupHeartbeats
 * of many single-member groups (throughput and the broker's CPU per heartbeat), and the time from a
 * member joining a 100-member group over 1,000 partitions until every member is at the new epoch
 * with its target assignment. The members are simulated at the wire level, each acknowledging a
 * revocation with its next heartbeat at once, as Kafka's consumer does.
 */
final class ConsumerProtocolBench {
  static final int GROUPS = Integer.getInteger("bench.848.groups", 2_000);
  static final int HEARTBEATS = Integer.getInteger("bench.848.heartbeats", 300_000);
  static final int RECONCILE_MEMBERS = 100;
  static final int RECONCILE_PARTITIONS = 1_000;
  static final short VERSION = 1;

  private ConsumerProtocolBench() {}

  record Joined(String groupId, String memberId, int epoch) {}

  static ConsumerGroupHeartbeatRequestData join(String groupId, String memberId, String topic) {
    return new ConsumerGroupHeartbeatRequestData()
        .setGroupId(groupId)
        .setMemberId(memberId)
        .setMemberEpoch(0)
        .setRebalanceTimeoutMs(300_000)
        .setSubscribedTopicNames(List.of(topic))
        .setTopicPartitions(List.of());
  }

  static CompletableFuture<ConsumerGroupHeartbeatResponseData> send(
      WireClient client, ConsumerGroupHeartbeatRequestData data) {
    return client
        .send(new ConsumerGroupHeartbeatRequest.Builder(data).build(VERSION))
        .thenApply(r -> ((ConsumerGroupHeartbeatResponse) r).data());
  }

  private static boolean ok(ConsumerGroupHeartbeatResponseData response) {
    if (response.errorCode() != Errors.NONE.code()) {
      CoordinatorBenchmark.FIRST_ERROR.compareAndSet(
          null,
          "ConsumerGroupHeartbeat: "
              + Errors.forCode(response.errorCode())
              + " "
              + response.errorMessage());
      return false;
    }
    return true;
  }

  /**
   * Joins {@link #GROUPS} one-member groups (after as many warm-up joins), then heartbeats them
   * steadily.
   */
  static List<Result> heartbeats(List<WireClient> clients, ProcessHandle broker, String bootstrap)
      throws Exception {
    createTopic(bootstrap, "bench-848", 4);
    CoordinatorBenchmark.drive(
        broker,
        clients,
        "848 warm-up",
        GROUPS,
        i ->
            send(
                    clients.get(i % clients.size()),
                    join("bench-848-warm-" + i, Uuid.randomUuid().toString(), "bench-848"))
                .thenApply(ConsumerProtocolBench::ok));
    Joined[] members = new Joined[GROUPS];
    Result joins =
        CoordinatorBenchmark.drive(
            broker,
            clients,
            "848 join",
            GROUPS,
            i -> {
              String groupId = "bench-848-" + i;
              String memberId = Uuid.randomUuid().toString();
              return send(clients.get(i % clients.size()), join(groupId, memberId, "bench-848"))
                  .thenApply(
                      r -> {
                        members[i] = new Joined(groupId, memberId, r.memberEpoch());
                        return ok(r);
                      });
            });
    Result beats =
        CoordinatorBenchmark.drive(
            broker,
            clients,
            "848 heartbeat",
            HEARTBEATS,
            i -> {
              Joined member = members[i % GROUPS];
              return send(
                      clients.get(i % clients.size()),
                      new ConsumerGroupHeartbeatRequestData()
                          .setGroupId(member.groupId())
                          .setMemberId(member.memberId())
                          .setMemberEpoch(member.epoch()))
                  .thenApply(ConsumerProtocolBench::ok);
            });
    return List.of(joins, beats);
  }

  /** One simulated consumer: heartbeats every 50 ms, and at once when its assignment changed. */
  private static final class SimulatedMember {
    final String memberId = Uuid.randomUuid().toString();
    final WireClient client;
    final String groupId;
    final ScheduledExecutorService pacer;
    final AtomicBoolean running;
    volatile int epoch;
    volatile List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = List.of();
    volatile boolean changed = true;

    SimulatedMember(
        WireClient client, String groupId, ScheduledExecutorService pacer, AtomicBoolean running) {
      this.client = client;
      this.groupId = groupId;
      this.pacer = pacer;
      this.running = running;
    }

    void start() {
      send(client, join(groupId, memberId, "bench-848-wide")).thenAccept(this::handle);
    }

    private void handle(ConsumerGroupHeartbeatResponseData response) {
      if (response.errorCode() != Errors.NONE.code()) {
        CoordinatorBenchmark.FIRST_ERROR.compareAndSet(
            null, "ConsumerGroupHeartbeat: " + Errors.forCode(response.errorCode()));
        return;
      }
      epoch = response.memberEpoch();
      if (response.assignment() != null) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> next = new ArrayList<>();
        response
            .assignment()
            .topicPartitions()
            .forEach(
                t ->
                    next.add(
                        new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                            .setTopicId(t.topicId())
                            .setPartitions(t.partitions())));
        owned = next;
        changed = true;
      }
      if (running.get()) {
        if (changed) {
          beat();
        } else {
          pacer.schedule(this::beat, 50, TimeUnit.MILLISECONDS);
        }
      }
    }

    private void beat() {
      ConsumerGroupHeartbeatRequestData data =
          new ConsumerGroupHeartbeatRequestData()
              .setGroupId(groupId)
              .setMemberId(memberId)
              .setMemberEpoch(epoch);
      if (changed) {
        data.setTopicPartitions(owned);
        changed = false;
      }
      send(client, data).thenAccept(this::handle);
    }
  }

  /**
   * Seconds from a member joining a stable 100-member group over 1,000 partitions until the group
   * is stable again with every member at the new epoch.
   */
  static double reconciliation(List<WireClient> clients, String bootstrap) throws Exception {
    createTopic(bootstrap, "bench-848-wide", RECONCILE_PARTITIONS);
    String groupId = "bench-848-reconcile";
    ScheduledExecutorService pacer = Executors.newScheduledThreadPool(1);
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      for (int i = 0; i < RECONCILE_MEMBERS; i++) {
        new SimulatedMember(clients.get(i % clients.size()), groupId, pacer, running).start();
      }
      WireClient observer = clients.get(0);
      awaitReconciled(observer, groupId, RECONCILE_MEMBERS, Duration.ofMinutes(3));
      long start = System.nanoTime();
      new SimulatedMember(clients.get(1 % clients.size()), groupId, pacer, running).start();
      awaitReconciled(observer, groupId, RECONCILE_MEMBERS + 1, Duration.ofMinutes(3));
      return (System.nanoTime() - start) / 1e9;
    } finally {
      running.set(false);
      pacer.shutdownNow();
    }
  }

  private static void awaitReconciled(
      WireClient client, String groupId, int members, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerGroupDescribeResponseData.DescribedGroup group =
          ((ConsumerGroupDescribeResponse)
                  client
                      .send(
                          new ConsumerGroupDescribeRequest.Builder(
                                  new ConsumerGroupDescribeRequestData()
                                      .setGroupIds(List.of(groupId)))
                              .build((short) 0))
                      .get())
              .data()
              .groups()
              .get(0);
      if (group.errorCode() == 0
          && group.members().size() == members
          && group.groupEpoch() == group.assignmentEpoch()
          && group.members().stream().allMatch(m -> m.memberEpoch() == group.groupEpoch())
          && group.members().stream().allMatch(m -> m.assignment().equals(m.targetAssignment()))) {
        return;
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException(
        "group "
            + groupId
            + " did not reconcile; first error: "
            + CoordinatorBenchmark.FIRST_ERROR.get());
  }

  static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  static double cpuSeconds(ProcessHandle broker) {
    return ChildProcesses.cpuTime(broker).toNanos() / 1e9;
  }
}
