package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.support.KafkaTools;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Transactional throughput with Kafka's own tools against the coordinator broker and, in the same
 * run, Apache Kafka 4.4: {@code ProducerPerformance} with {@code --transactional-id} and a fixed
 * {@code --transaction-duration-ms} (long transactions for records/s, very short ones for
 * transactions/s), then {@code ConsumerPerformance} reading the long run's topic with {@code
 * isolation.level=read_committed}. Each broker's CPU time (user + system, from the OS) is read
 * around every phase. Not a test: {@code ./mvnw -B -pl coordinator-image -am -Pbench -DskipTests
 * verify -Dbench.phases=transactions}.
 */
public final class TransactionBenchmark {
  static final int RECORDS = Integer.getInteger("bench.txnRecords", 2_000_000);
  static final int SHORT_RECORDS = Integer.getInteger("bench.txnShortRecords", 20_000);
  static final int RECORD_SIZE = 100;
  static final int LONG_TXN_MS = 100;
  static final int SHORT_TXN_MS = 1;

  /** One phase against one broker. */
  record Phase(String name, long records, double seconds, long transactions, double cpuSeconds) {
    double recordsPerSecond() {
      return records / seconds;
    }

    double transactionsPerSecond() {
      return transactions / seconds;
    }

    double cpuMicrosPerRecord() {
      return cpuSeconds * 1e6 / records;
    }
  }

  private TransactionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(System.getProperty("coordinator.jar", "target/coordinator.jar"));
    Path data = Files.createTempDirectory("bench-txn");
    int port = FreePort.pick();
    Process coordinator = CoordinatorBenchmark.startCoordinator(jar, data, port);
    KafkaBroker kafka = KafkaBroker.builder().build().start();
    Map<String, List<Phase>> results = new LinkedHashMap<>();
    try {
      results.put("coordinator", run("127.0.0.1:" + port, coordinator.toHandle()));
      results.put("kafka-4.4", run(kafka.bootstrapServers(), kafka.processHandle()));
      print(results);
    } finally {
      ChildProcesses.stop(coordinator, Duration.ofSeconds(20));
      kafka.stop();
    }
  }

  static List<Phase> run(String bootstrap, ProcessHandle broker) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (String topic : List.of("txn-warm", "txn-long", "txn-short")) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      // both JVMs warm up with the same load first
      produce(admin, bootstrap, broker, "warm-up", "txn-warm", 200_000, LONG_TXN_MS);
      List<Phase> phases = new ArrayList<>();
      phases.add(
          produce(
              admin,
              bootstrap,
              broker,
              "produce, " + LONG_TXN_MS + " ms transactions",
              "txn-long",
              RECORDS,
              LONG_TXN_MS));
      phases.add(
          produce(
              admin,
              bootstrap,
              broker,
              "produce, " + SHORT_TXN_MS + " ms transactions",
              "txn-short",
              SHORT_RECORDS,
              SHORT_TXN_MS));
      phases.add(consume(bootstrap, broker, "txn-long", RECORDS));
      return phases;
    }
  }

  static Phase produce(
      Admin admin,
      String bootstrap,
      ProcessHandle broker,
      String name,
      String topic,
      int records,
      int transactionMs)
      throws Exception {
    ToolRun run =
        ToolRun.of(
            broker,
            PerformanceTools.PRODUCER,
            PerformanceTools.producerArgs(
                topic,
                records,
                RECORD_SIZE,
                List.of(
                    "--bootstrap-server",
                    bootstrap,
                    "--transactional-id",
                    "bench-" + topic,
                    "--transaction-duration-ms",
                    String.valueOf(transactionMs),
                    "--command-property",
                    "acks=all")));
    Matcher summary =
        Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec")
            .matcher(lastLine(run.output()));
    if (!summary.find()) {
      throw new IllegalStateException(name + ": no summary in\n" + run.output());
    }
    long sent = Long.parseLong(summary.group(1));
    double seconds = sent / Double.parseDouble(summary.group(2));
    // every transaction ends with one marker in the topic's one partition
    TopicPartition tp = new TopicPartition(topic, 0);
    long end =
        admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
    return new Phase(name, sent, seconds, end - sent, run.brokerCpuSeconds());
  }

  static Phase consume(String bootstrap, ProcessHandle broker, String topic, int records)
      throws Exception {
    ToolRun run =
        ToolRun.of(
            broker,
            PerformanceTools.CONSUMER,
            PerformanceTools.consumerArgs(
                bootstrap,
                topic,
                records,
                List.of(
                    "--group",
                    "bench-read-committed",
                    "--command-property",
                    "isolation.level=read_committed")));
    // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.ms, fetch.ms, fetch.MB.sec,
    // fetch.nMsg.sec
    String[] columns = lastLine(run.output()).split(",\\s*");
    long consumed = Long.parseLong(columns[4].trim());
    double fetchMs = Double.parseDouble(columns[7].trim());
    return new Phase("consume read_committed", consumed, fetchMs / 1000, 0, run.brokerCpuSeconds());
  }

  /** What a performance tool printed, and the CPU seconds the broker spent while it ran. */
  record ToolRun(String output, double brokerCpuSeconds) {
    static ToolRun of(ProcessHandle broker, String tool, List<String> args) {
      double cpuBefore = cpuSeconds(broker);
      String output = KafkaTools.run(tool, args);
      return new ToolRun(output, cpuSeconds(broker) - cpuBefore);
    }
  }

  static String lastLine(String output) {
    List<String> lines =
        output.lines().filter(line -> !line.isBlank() && !line.contains(" WARN ")).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  static double cpuSeconds(ProcessHandle broker) {
    Duration cpu = ChildProcesses.cpuTime(broker);
    return cpu.toNanos() / 1e9;
  }

  static void print(Map<String, List<Phase>> results) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "load average %.1f%n",
            Double.parseDouble(
                Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).split(" ")[0])));
    out.append(
        "| phase | broker | records/s | transactions/s | CPU µs/record | records | seconds |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    List<Phase> ours = results.get("coordinator");
    List<Phase> theirs = results.get("kafka-4.4");
    for (int i = 0; i < ours.size(); i++) {
      for (Map.Entry<String, List<Phase>> entry : results.entrySet()) {
        Phase phase = entry.getValue().get(i);
        out.append(
            String.format(
                "| %s | %s | %,.0f | %,.1f | %.2f | %,d | %.1f |%n",
                phase.name(),
                entry.getKey(),
                phase.recordsPerSecond(),
                phase.transactionsPerSecond(),
                phase.cpuMicrosPerRecord(),
                phase.records(),
                phase.seconds()));
      }
      out.append(
          String.format(
              "| %s | ratio | %.2f× | %s | %.2f× (Kafka's CPU / ours) | | |%n",
              ours.get(i).name(),
              ours.get(i).recordsPerSecond() / theirs.get(i).recordsPerSecond(),
              theirs.get(i).transactions() == 0
                  ? ""
                  : String.format(
                      "%.2f×",
                      ours.get(i).transactionsPerSecond() / theirs.get(i).transactionsPerSecond()),
              theirs.get(i).cpuMicrosPerRecord() / ours.get(i).cpuMicrosPerRecord()));
    }
    System.out.print(out);
  }
}
