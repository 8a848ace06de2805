package io.groupwarden.sink.benchmark;

import com.mongodb.client.MongoCollection;
import io.groupwarden.sink.KafkaFixture;
import io.groupwarden.sink.MongoWireServer;
import io.groupwarden.sink.WorkerRunner;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Throughput from Kafka into the MongoDB wire server: groupwarden's sink worker against the MongoDB
 * Kafka sink connector on Kafka Connect standalone, same broker, topic, store and batch size, at
 * batch sizes 100 and 1,000 with one and three workers (tasks). Each peer runs in one child JVM
 * (the workers as threads, as Connect runs its tasks); each run writes a fresh collection and is
 * timed from its first document to its last.
 */
public final class SinkBenchmark {
  private static final int MESSAGES = Integer.getInteger("bench.messages", 100_000);
  private static final int PARTITIONS = 3;
  private static final String TOPIC = "bench";
  private static final Path LOGS = Path.of("target", "sink-benchmark");

  /** Each configuration runs this many times in a row (groupwarden, then the connector). */
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 1);

  /** {@code batch x workers} pairs, e.g. {@code 100x1,1000x3}; all four unless given. */
  private static final String CONFIGS = System.getProperty("bench.configs", "");

  /** {@code groupwarden} runs only groupwarden's worker (to profile it); empty runs both. */
  private static final String ONLY = System.getProperty("bench.only", "");

  /** The timing of one run. */
  record Run(
      String peer,
      int batch,
      int workers,
      double seconds,
      double throughput,
      double withStartup,
      double cpuMicrosPerMessage,
      double secondHalfThroughput,
      double secondHalfCpuMicrosPerMessage) {

    /** The settings the run was made with, at the start of each line of the report. */
    String label() {
      return String.format(Locale.ROOT, "batch %5d  workers %d", batch, workers);
    }

    /** Throughput, time and CPU of the whole run, as each line of the report shows them. */
    String whole() {
      return String.format(
          Locale.ROOT,
          "%8.0f msg/s (%.2fs; %.0f/s with start-up; %.1f us CPU/msg",
          throughput,
          seconds,
          withStartup,
          cpuMicrosPerMessage);
    }
  }

  public static void main(String[] args) throws Exception {
    Files.createDirectories(LOGS);
    try (KafkaBroker broker = KafkaBroker.builder().build().start();
        KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers());
        MongoWireServer mongo = MongoWireServer.start()) {
      kafka.createTopic(TOPIC, PARTITIONS);
      List<String> values = new ArrayList<>(MESSAGES);
      String padding = "x".repeat(160);
      for (int i = 0; i < MESSAGES; i++) {
        values.add(
            "{\"message_id\":\"m-"
                + i
                + "\",\"customer\":"
                + (i % 997)
                + ",\"amount\":"
                + (i % 1000) / 10.0
                + ",\"note\":\""
                + padding
                + "\"}");
      }
      kafka.produce(TOPIC, PARTITIONS, values);
      System.out.printf(
          Locale.ROOT, "%d messages of ~230 bytes on %d partitions%n", MESSAGES, PARTITIONS);

      Set<String> used = new HashSet<>();
      for (int[] config : configs()) {
        int batch = config[0];
        int workers = config[1];
        for (int round = 1; round <= ROUNDS; round++) {
          // every run needs a consumer group and a collection of its own
          String suffix = "";
          for (int n = 2; !used.add("b" + batch + "_w" + workers + suffix); n++) {
            suffix = "_r" + n;
          }
          Setup setup = new Setup(broker, mongo, batch, workers, suffix);
          Run groupwarden = groupwarden(setup);
          mongo.dropDatabase(); // the wire server keeps everything in memory
          if (ONLY.equals("groupwarden")) {
            print(groupwarden);
            continue;
          }
          Run connect = connect(setup);
          mongo.dropDatabase();
          print(groupwarden, connect);
        }
      }
    }
  }

  private static List<int[]> configs() {
    if (CONFIGS.isBlank()) {
      return List.of(
          new int[] {100, 1}, new int[] {100, 3}, new int[] {1_000, 1}, new int[] {1_000, 3});
    }
    List<int[]> configs = new ArrayList<>();
    for (String pair : CONFIGS.split(",")) {
      String[] parts = pair.trim().split("x");
      configs.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
    }
    return configs;
  }

  /** One run's configuration; {@code suffix} makes its group and collection new. */
  private record Setup(
      KafkaBroker broker, MongoWireServer mongo, int batch, int workers, String suffix) {
    /** The run's consumer group and collection, named after its peer and configuration. */
    String name(String peer) {
      return peer + "_b" + batch + "_w" + workers + suffix;
    }
  }

  private static Run groupwarden(Setup setup) throws Exception {
    String name = setup.name("gw");
    int batch = setup.batch();
    Map<String, String> env =
        WorkerRunner.environment(
            setup.broker().bootstrapServers(),
            TOPIC,
            name,
            name,
            setup.mongo().uri(),
            name,
            "SINK_BATCH_SIZE",
            String.valueOf(batch),
            "SINK_COMMIT_EVERY",
            String.valueOf(Math.max(1_000, batch)));
    long start = System.nanoTime();
    // the workers share one JVM, as Kafka Connect's tasks do
    // the collector of the worker's image (sink-image/Dockerfile)
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
    // e.g. -Dbench.workerJvmArgs=-XX:StartFlightRecording=filename=target/ to profile the workers
    jvm.addAll(ChildProcesses.jvmOptionsFrom("bench.workerJvmArgs"));
    List<String> command =
        ChildProcesses.javaCommand(
            jvm,
            System.getProperty("java.class.path"),
            WorkersMain.class.getName(),
            List.of(String.valueOf(setup.workers())));
    List<Process> processes =
        List.of(ChildProcesses.start(command, LOGS.resolve(name + ".log"), env));
    return timed("groupwarden", setup, start, setup.mongo().collection(name), processes);
  }

  private static Run connect(Setup setup) throws Exception {
    String name = setup.name("kc");
    int batch = setup.batch();
    Path dir = Files.createTempDirectory("connect-" + name);
    Path worker = dir.resolve("worker.properties");
    Files.writeString(
        worker,
        String.join(
            "\n",
            "bootstrap.servers=" + setup.broker().bootstrapServers(),
            "key.converter=org.apache.kafka.connect.storage.StringConverter",
            "value.converter=org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable=false",
            "offset.storage.file.filename=" + dir.resolve("offsets"),
            "listeners=http://127.0.0.1:" + FreePort.pick(),
            "consumer.auto.offset.reset=earliest",
            "consumer.max.poll.records=" + Math.max(500, batch),
            ""));
    Path connector = dir.resolve("connector.properties");
    Files.writeString(
        connector,
        String.join(
            "\n",
            "name=" + name,
            "connector.class=com.mongodb.kafka.connect.MongoSinkConnector",
            "tasks.max=" + setup.workers(),
            "topics=" + TOPIC,
            "connection.uri=" + setup.mongo().uri(),
            "database=" + MongoWireServer.DATABASE,
            "collection=" + name,
            "max.batch.size=" + batch,
            // _id from the message, as the groupwarden worker does
            "document.id.strategy=com.mongodb.kafka.connect.sink.processor.id.strategy.PartialValueStrategy",
            "document.id.strategy.partial.value.projection.type=AllowList",
            "document.id.strategy.partial.value.projection.list=message_id",
            ""));
    long start = System.nanoTime();
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
    // e.g. -Dbench.connectJvmArgs=-XX:+UseSerialGC to give Connect the worker's collector
    jvm.addAll(ChildProcesses.jvmOptionsFrom("bench.connectJvmArgs"));
    List<String> command =
        ChildProcesses.javaCommand(
            jvm,
            classpath(SinkBenchmark.class, "/io/groupwarden/connectpeer/kafka-connect.classpath"),
            "org.apache.kafka.connect.cli.ConnectStandalone",
            List.of(worker.toString(), connector.toString()));
    Process process = ChildProcesses.start(command, LOGS.resolve(name + ".log"), Map.of());
    return timed("kafka-connect", setup, start, setup.mongo().collection(name), List.of(process));
  }

  /** Waits until every message is a document; times from the first document to the last. */
  private static Run timed(
      String peer,
      Setup setup,
      long start,
      MongoCollection<Document> collection,
      List<Process> processes)
      throws InterruptedException {
    long first = 0;
    Duration cpuAtFirst = Duration.ZERO;
    long firstCount = 0;
    // the second half runs warm: the JIT has compiled the hot paths of both peers by then
    long half = 0;
    Duration cpuAtHalf = Duration.ZERO;
    long halfCount = 0;
    long deadline = start + TimeUnit.MINUTES.toNanos(10);
    try {
      while (System.nanoTime() < deadline) {
        long count = collection.estimatedDocumentCount();
        long now = System.nanoTime();
        if (count > 0 && first == 0) {
          first = now;
          cpuAtFirst = cpuTime(processes);
          firstCount = count;
        }
        if (count >= MESSAGES / 2 && half == 0) {
          half = now;
          cpuAtHalf = cpuTime(processes);
          halfCount = count;
        }
        if (count >= MESSAGES) {
          double seconds = (now - first) / 1e9;
          Duration cpuAtEnd = cpuTime(processes);
          double cpuMicros = cpuAtEnd.minus(cpuAtFirst).toNanos() / 1e3;
          double secondHalfSeconds = (now - half) / 1e9;
          double secondHalfCpuMicros = cpuAtEnd.minus(cpuAtHalf).toNanos() / 1e3;
          return new Run(
              peer,
              setup.batch(),
              setup.workers(),
              seconds,
              MESSAGES / seconds,
              MESSAGES / ((now - start) / 1e9),
              cpuMicros / (MESSAGES - firstCount),
              (MESSAGES - halfCount) / secondHalfSeconds,
              secondHalfCpuMicros / (MESSAGES - halfCount));
        }
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IllegalStateException(peer + " exited early; see " + LOGS);
          }
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException(peer + " did not finish within 10 minutes; see " + LOGS);
    } finally {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        ChildProcesses.awaitExit(p, Duration.ofSeconds(30));
      }
    }
  }

  /** CPU time (user + system) the peer's processes have used so far. */
  private static Duration cpuTime(List<Process> processes) {
    Duration total = Duration.ZERO;
    for (Process p : processes) {
      total = total.plus(ChildProcesses.cpuTime(p.toHandle()));
    }
    return total;
  }

  private static void print(Run groupwarden) {
    System.out.printf(
        Locale.ROOT,
        "%s | groupwarden %s; second half %.0f msg/s, %.1f us CPU/msg)%n",
        groupwarden.label(),
        groupwarden.whole(),
        groupwarden.secondHalfThroughput(),
        groupwarden.secondHalfCpuMicrosPerMessage());
  }

  private static void print(Run groupwarden, Run connect) {
    System.out.printf(
        Locale.ROOT,
        "%s | groupwarden %s) | kafka-connect %s) | ratio %.2fx, CPU %.2fx%n",
        groupwarden.label(),
        groupwarden.whole(),
        connect.whole(),
        groupwarden.throughput() / connect.throughput(),
        connect.cpuMicrosPerMessage() / groupwarden.cpuMicrosPerMessage());
    System.out.printf(
        Locale.ROOT,
        "%s | second half: groupwarden %8.0f msg/s, %.1f us CPU/msg | kafka-connect %8.0f msg/s, %.1f us CPU/msg | ratio %.2fx, CPU %.2fx%n",
        groupwarden.label(),
        groupwarden.secondHalfThroughput(),
        groupwarden.secondHalfCpuMicrosPerMessage(),
        connect.secondHalfThroughput(),
        connect.secondHalfCpuMicrosPerMessage(),
        groupwarden.secondHalfThroughput() / connect.secondHalfThroughput(),
        connect.secondHalfCpuMicrosPerMessage() / groupwarden.secondHalfCpuMicrosPerMessage());
  }

  private static String classpath(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
