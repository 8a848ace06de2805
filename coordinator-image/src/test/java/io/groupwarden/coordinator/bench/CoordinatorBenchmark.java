package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;

/**
 * Drives JoinGroup+SyncGroup, Heartbeat and OffsetCommit at the coordinator broker and, in the same
 * run with the same load, at Apache Kafka 4.4, and prints throughput, p50/p99 and the ratio. Then
 * fills the coordinator with 10,000 groups and 1,000,000 committed offsets and reports what holding
 * and reloading them costs. Not a test: run it with {@code ./mvnw -B -pl coordinator-image -am
 * -Pbench -DskipTests verify}.
 */
public final class CoordinatorBenchmark {
  static final int CONNECTIONS = 8;
  static final int JOINS = Integer.getInteger("bench.joins", 20_000);
  static final int HEARTBEATS = Integer.getInteger("bench.heartbeats", 300_000);
  static final int COMMITS = Integer.getInteger("bench.commits", 200_000);
  static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 512);
  static final int PARTITIONS = 100;
  static final String TOPIC = "bench";

  record Result(
      String name, int ops, double seconds, long[] latenciesNs, int errors, double cpuSeconds) {
    double throughput() {
      return ops / seconds;
    }

    double cpuMicrosPerOp() {
      return cpuSeconds * 1e6 / ops;
    }

    double percentileMs(double p) {
      long[] sorted = latenciesNs.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
  }

  record Member(String groupId, String memberId, int generation) {}

  /** Seconds to reconcile a 100-member group after one more joins, by broker. */
  static final Map<String, Double> RECONCILIATION = new java.util.concurrent.ConcurrentHashMap<>();

  static final java.util.concurrent.atomic.AtomicReference<String> FIRST_ERROR =
      new java.util.concurrent.atomic.AtomicReference<>();

  public static void main(String[] args) throws Exception {
    if (System.getProperty("bench.phases", "").equals("assignors")) {
      AssignorBenchmark.main(args);
      return;
    }
    if (System.getProperty("bench.phases", "").equals("transactions")) {
      TransactionBenchmark.main(args);
      return;
    }
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    Path jar = Path.of(System.getProperty("coordinator.jar", "target/coordinator.jar"));
    Map<String, List<Result>> results = new LinkedHashMap<>();
    Path data = Files.createTempDirectory("bench-coordinator");

    long startNs = System.nanoTime();
    int port = FreePort.pick();
    Process coordinator = startCoordinator(jar, data, port);
    double startupSeconds = (System.nanoTime() - startNs) / 1e9;
    // -Dbench.phases=hold runs only the held-state phase (no Apache Kafka), e.g. to time restarts.
    boolean compare = !System.getProperty("bench.phases", "compare,hold").equals("hold");
    KafkaBroker kafka = compare ? KafkaBroker.builder().build().start() : null;
    try {
      for (String target : compare ? List.of("coordinator", "kafka") : List.<String>of()) {
        String bootstrap =
            target.equals("coordinator") ? "127.0.0.1:" + port : kafka.bootstrapServers();
        createTopic(bootstrap);
        int targetPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        ProcessHandle process =
            target.equals("coordinator") ? coordinator.toHandle() : kafka.processHandle();
        results.put(target, run(loop, targetPort, target, process));
      }
      if (compare) {
        print(results, startupSeconds);
        System.out.printf(
            "consumer protocol: a member joins a 100-member group over 1,000 partitions, until"
                + " every member is at the new epoch: coordinator %.3f s, kafka-4.4 %.3f s%n",
            RECONCILIATION.get("coordinator"), RECONCILIATION.get("kafka"));
      }
      holdManyGroups(loop, port, coordinator, jar, data);
    } finally {
      ChildProcesses.stop(coordinator, Duration.ofSeconds(20));
      if (kafka != null) {
        kafka.stop();
      }
      loop.shutdownGracefully();
    }
  }

  static Process startCoordinator(Path jar, Path data, int port) {
    List<String> jvmOptions = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"));
    // e.g. -Dbench.coordinatorJvmArgs=-XX:StartFlightRecording=filename=coordinator.jfr to profile
    jvmOptions.addAll(ChildProcesses.jvmOptionsFrom("bench.coordinatorJvmArgs"));
    List<String> command =
        ChildProcesses.javaJarCommand(
            jvmOptions, jar, ChildBroker.arguments(port, FreePort.pick(), data));
    Process process =
        ChildProcesses.start(command, data.resolveSibling(data.getFileName() + ".log"));
    FreePort.awaitListening(port, Duration.ofSeconds(60), process);
    return process;
  }

  static void createTopic(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
    }
  }

  static List<Result> run(EventLoopGroup loop, int port, String target, ProcessHandle broker)
      throws Exception {
    List<WireClient> clients = connect(loop, port);
    try {
      awaitGroupCoordinator(clients.get(0));
      // Warm up both brokers' JIT with a slice of each workload before measuring.
      Member[] warm = new Member[2_000];
      joinGroups(broker, clients, "warm-up", "warm-" + target + "-", warm);
      Member[] members = new Member[JOINS];
      Result joins = joinGroups(broker, clients, "join+sync", "bench-group-", members);
      Result heartbeats =
          drive(
              broker,
              clients,
              "heartbeat",
              HEARTBEATS,
              i -> heartbeat(clients.get(i % CONNECTIONS), members[i % JOINS]));
      Result commits =
          drive(
              broker,
              clients,
              "offset commit",
              COMMITS,
              i -> commit(clients.get(i % CONNECTIONS), members[i % JOINS], i % PARTITIONS, i, 1));
      // The consumer protocol (KIP-848): joins and steady heartbeats, then reconciliation.
      String bootstrap = "127.0.0.1:" + port;
      List<Result> kip848 = ConsumerProtocolBench.heartbeats(clients, broker, bootstrap);
      RECONCILIATION.put(target, ConsumerProtocolBench.reconciliation(clients, bootstrap));
      List<Result> all = new ArrayList<>(List.of(joins, heartbeats, commits));
      all.addAll(kip848);
      return all;
    } finally {
      clients.forEach(WireClient::close);
    }
  }

  /** Kafka creates its offsets topic on first use; wait until groups can be joined. */
  static void awaitGroupCoordinator(WireClient client) throws Exception {
    for (int attempt = 0; attempt < 300; attempt++) {
      client
          .send(
              new org.apache.kafka.common.requests.FindCoordinatorRequest.Builder(
                      new org.apache.kafka.common.message.FindCoordinatorRequestData()
                          .setKeyType((byte) 0)
                          .setCoordinatorKeys(List.of("probe")))
                  .build((short) 4))
          .get();
      JoinGroupResponse response =
          (JoinGroupResponse)
              client
                  .send(new JoinGroupRequest.Builder(joinData("probe", "")).build((short) 9))
                  .get();
      if (response.error() == Errors.MEMBER_ID_REQUIRED || response.error() == Errors.NONE) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the broker's group coordinator never became available");
  }

  /** {@link #CONNECTIONS} connections to the broker at {@code port}. */
  static List<WireClient> connect(EventLoopGroup loop, int port) throws InterruptedException {
    List<WireClient> clients = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      clients.add(new WireClient(loop, "127.0.0.1", port));
    }
    return clients;
  }

  /**
   * Joins (and syncs) one single-member group per slot of {@code members}, named {@code
   * groupPrefix} and the slot's index; each slot gets its member.
   */
  static Result joinGroups(
      ProcessHandle broker,
      List<WireClient> clients,
      String name,
      String groupPrefix,
      Member[] members)
      throws InterruptedException {
    return drive(
        broker,
        clients,
        name,
        members.length,
        i -> join(clients.get(i % CONNECTIONS), groupPrefix + i, members, i));
  }

  /** Runs {@code count} operations keeping {@link #IN_FLIGHT} of them outstanding. */
  static Result drive(
      ProcessHandle broker,
      List<WireClient> clients,
      String name,
      int count,
      IntFunction<CompletableFuture<Boolean>> op)
      throws InterruptedException {
    // The broker's CPU time per operation varies far less with a busy machine than throughput.
    Duration cpuBefore = ChildProcesses.cpuTime(broker);
    long[] latencies = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    long start = System.nanoTime();
    Runnable[] launcher = new Runnable[1];
    launcher[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= count) {
            return;
          }
          long begin = System.nanoTime();
          op.apply(i)
              .whenComplete(
                  (ok, error) -> {
                    latencies[i] = System.nanoTime() - begin;
                    if (error != null) {
                      FIRST_ERROR.compareAndSet(null, error.toString());
                    }
                    if (error != null || !ok) {
                      errors.incrementAndGet();
                    }
                    done.countDown();
                    launcher[0].run();
                  });
        };
    for (int i = 0; i < Math.min(IN_FLIGHT, count); i++) {
      launcher[0].run();
    }
    done.await(10, TimeUnit.MINUTES);
    if (errors.get() > 0) {
      System.out.println(
          name + ": " + errors.get() + " errors, first: " + FIRST_ERROR.getAndSet(null));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = ChildProcesses.cpuTime(broker).minus(cpuBefore).toNanos() / 1e9;
    return new Result(name, count, seconds, latencies, errors.get(), cpuSeconds);
  }

  static JoinGroupRequestData joinData(String groupId, String memberId) {
    JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
    protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {0, 0}));
    return new JoinGroupRequestData()
        .setGroupId(groupId)
        .setMemberId(memberId)
        .setSessionTimeoutMs(45_000)
        .setRebalanceTimeoutMs(60_000)
        .setProtocolType("consumer")
        .setProtocols(protocols);
  }

  /** A new member forms a group: JoinGroup (member id required), JoinGroup, SyncGroup. */
  static CompletableFuture<Boolean> join(
      WireClient client, String groupId, Member[] out, int index) {
    return client
        .send(new JoinGroupRequest.Builder(joinData(groupId, "")).build((short) 9))
        .thenCompose(
            first -> {
              String memberId = ((JoinGroupResponse) first).data().memberId();
              return client.send(
                  new JoinGroupRequest.Builder(joinData(groupId, memberId)).build((short) 9));
            })
        .thenCompose(
            second -> {
              JoinGroupResponse joined = (JoinGroupResponse) second;
              if (joined.error() != Errors.NONE) {
                FIRST_ERROR.compareAndSet(null, "JoinGroup: " + joined.error());
                return CompletableFuture.completedFuture(false);
              }
              out[index] =
                  new Member(groupId, joined.data().memberId(), joined.data().generationId());
              SyncGroupRequestData sync =
                  new SyncGroupRequestData()
                      .setGroupId(groupId)
                      .setMemberId(joined.data().memberId())
                      .setGenerationId(joined.data().generationId())
                      .setProtocolType("consumer")
                      .setProtocolName("range")
                      .setAssignments(
                          List.of(
                              new SyncGroupRequestAssignment()
                                  .setMemberId(joined.data().memberId())
                                  .setAssignment(new byte[] {0, 0})));
              return client
                  .send(new SyncGroupRequest.Builder(sync).build((short) 5))
                  .thenApply(
                      r -> {
                        Errors error = ((SyncGroupResponse) r).error();
                        if (error != Errors.NONE) {
                          FIRST_ERROR.compareAndSet(null, "SyncGroup: " + error);
                        }
                        return error == Errors.NONE;
                      });
            });
  }

  static CompletableFuture<Boolean> heartbeat(WireClient client, Member member) {
    HeartbeatRequestData data =
        new HeartbeatRequestData()
            .setGroupId(member.groupId())
            .setMemberId(member.memberId())
            .setGenerationId(member.generation());
    return client
        .send(new HeartbeatRequest.Builder(data).build((short) 4))
        .thenApply(r -> ((HeartbeatResponse) r).error() == Errors.NONE);
  }

  static CompletableFuture<Boolean> commit(
      WireClient client, Member member, int firstPartition, long offset, int partitions) {
    List<OffsetCommitRequestPartition> list = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      list.add(
          new OffsetCommitRequestPartition()
              .setPartitionIndex((firstPartition + p) % PARTITIONS)
              .setCommittedOffset(offset));
    }
    OffsetCommitRequestData data =
        new OffsetCommitRequestData()
            .setGroupId(member.groupId())
            .setMemberId(member.memberId())
            .setGenerationIdOrMemberEpoch(member.generation())
            .setTopics(List.of(new OffsetCommitRequestTopic().setName(TOPIC).setPartitions(list)));
    return client
        .send(OffsetCommitRequest.Builder.forTopicNames(data).build((short) 9))
        .thenApply(
            r ->
                ((OffsetCommitResponse) r)
                    .data().topics().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.errorCode() == 0));
  }

  static void print(Map<String, List<Result>> results, double startupSeconds) {
    System.out.println();
    System.out.printf(
        "coordinator start-up to listening, empty data dir (JVM start included): %.2f s%n",
        startupSeconds);
    System.out.printf(
        "%-14s %-12s %12s %9s %9s %7s %12s%n",
        "operation", "broker", "ops/s", "p50 ms", "p99 ms", "errors", "cpu us/op");
    List<Result> ours = results.get("coordinator");
    List<Result> theirs = results.get("kafka");
    for (int i = 0; i < ours.size(); i++) {
      for (Result r : List.of(ours.get(i), theirs.get(i))) {
        System.out.printf(
            "%-14s %-12s %,12.0f %9.2f %9.2f %7d %12.1f%n",
            r.name(),
            r == ours.get(i) ? "coordinator" : "kafka-4.4",
            r.throughput(),
            r.percentileMs(0.50),
            r.percentileMs(0.99),
            r.errors(),
            r.cpuMicrosPerOp());
      }
      System.out.printf(
          "%-14s %-12s %11.2fx %39.2fx%n",
          ours.get(i).name(),
          "ratio",
          ours.get(i).throughput() / theirs.get(i).throughput(),
          theirs.get(i).cpuMicrosPerOp() / ours.get(i).cpuMicrosPerOp());
    }
  }

  /** 10,000 groups with 100 committed offsets each; heap held and the time to reload them. */
  static void holdManyGroups(
      EventLoopGroup loop, int port, Process coordinator, Path jar, Path data) throws Exception {
    List<WireClient> clients = connect(loop, port);
    int groups = 10_000;
    Member[] members = new Member[groups];
    joinGroups(coordinator.toHandle(), clients, "groups", "held-group-", members);
    Result filled =
        drive(
            coordinator.toHandle(),
            clients,
            "commit x100",
            groups,
            i -> commit(clients.get(i % CONNECTIONS), members[i], 0, 1_000 + i, PARTITIONS));
    clients.forEach(WireClient::close);
    long heap = heapAfterGc(coordinator.pid());
    System.out.printf(
        "%nheld: %,d groups, %,d committed offsets (%d errors); coordinator heap after full GC: %,d MB%n",
        groups, (long) groups * PARTITIONS, filled.errors(), heap / (1 << 20));
    coordinator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    int port2 = FreePort.pick();
    long begin = System.nanoTime();
    Process restarted = startCoordinator(jar, data, port2);
    double listening = (System.nanoTime() - begin) / 1e9;
    // Listening is not enough: the groups are served once their logs are replayed.
    WireClient client = new WireClient(loop, "127.0.0.1", port2);
    int restored = fetchedOffsets(client, "held-group-" + (groups - 1));
    double served = (System.nanoTime() - begin) / 1e9;
    client.close();
    System.out.printf(
        "restart with that state: listening after %.2f s; OffsetFetch of the last group answered"
            + " with its %d offsets after %.2f s%n",
        listening, restored, served);
    ChildProcesses.stop(restarted, Duration.ofSeconds(20));
  }

  /** How many committed offsets an OffsetFetch of every partition of the group returns. */
  static int fetchedOffsets(WireClient client, String groupId) throws Exception {
    org.apache.kafka.common.requests.OffsetFetchResponse response =
        (org.apache.kafka.common.requests.OffsetFetchResponse)
            client
                .send(
                    org.apache.kafka.common.requests.OffsetFetchRequest.Builder.forTopicNames(
                            new org.apache.kafka.common.message.OffsetFetchRequestData()
                                .setGroups(
                                    List.of(
                                        new org.apache.kafka.common.message.OffsetFetchRequestData
                                                .OffsetFetchRequestGroup()
                                            .setGroupId(groupId)
                                            .setTopics(null))),
                            false)
                        .build((short) 8))
                .get();
    int count = 0;
    for (var topic : response.data().groups().get(0).topics()) {
      for (var partition : topic.partitions()) {
        if (partition.committedOffset() >= 0) {
          count++;
        }
      }
    }
    return count;
  }

  static long heapAfterGc(long pid) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run")
        .redirectErrorStream(true)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
    Process info =
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String text = new String(info.getInputStream().readAllBytes());
    info.waitFor(30, TimeUnit.SECONDS);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }
}
