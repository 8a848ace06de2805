package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import io.groupwarden.testkit.KafkaTools;
import io.groupwarden.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * What TLS with SASL/SCRAM costs the coordinator broker and Apache Kafka 4.4 in the same run, with
 * the same certificate: produce and fetch throughput and the broker's CPU per MB over PLAINTEXT and
 * over SASL_SSL, loaded by Kafka's own ProducerPerformance and ConsumerPerformance (child
 * processes). Each round runs every broker and protocol once, in alternating order. Not a test:
 *
 * <pre>
 * ./mvnw -B -pl coordinator-image -am -Pbench -Dbench.main=io.groupwarden.coordinator.bench.TlsCostBenchmark -DskipTests verify
 * </pre>
 */
public final class TlsCostBenchmark {
  static final int RECORDS = Integer.getInteger("bench.records", 300_000);
  static final int RECORD_SIZE = Integer.getInteger("bench.recordSize", 1024);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  static final boolean JDK_PEER = Boolean.parseBoolean(System.getProperty("bench.jdkTls", "true"));

  /**
   * With {@code -Dbench.limitsOff=true}, also a coordinator whose limits (connections, idle time,
   * request memory, topics, creation rate, open segment files) are raised out of reach, to show
   * what the limits at their defaults cost the data path.
   */
  static final boolean LIMITS_OFF_PEER = Boolean.getBoolean("bench.limitsOff");

  static final List<String> LIMITS_OUT_OF_REACH =
      List.of(
          "--connections-max-idle",
          "365d",
          "--max-connections",
          "1000000",
          "--max-connections-per-ip",
          "1000000",
          "--queued-max-request-bytes",
          String.valueOf(Long.MAX_VALUE),
          "--max-topics",
          "1000000",
          "--max-partitions",
          "10000000",
          "--topic-creation-rate",
          "1000000",
          "--max-open-segment-files",
          "100000");
  static final String USER = "bench";
  static final String PASSWORD = "bench-secret-53ac";
  static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SASL_SSL");

  /** A broker under test: its listeners' ports and its process. */
  interface Peer extends AutoCloseable {
    String name();

    int port(String protocol);

    ProcessHandle process();

    @Override
    void close() throws Exception;
  }

  record Run(String peer, String protocol, String phase, double mbPerSecond, double cpuMsPerMb) {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tls-bench");
    BrokerTls tls = BrokerTls.issue(dir.resolve("tls"), "bench-ca");
    Map<String, Path> clientConfigs = new LinkedHashMap<>();
    clientConfigs.put("PLAINTEXT", write(dir.resolve("plaintext.properties"), new Properties()));
    clientConfigs.put("SASL_SSL", write(dir.resolve("sasl-ssl.properties"), saslSslClient(tls)));

    Path jar = Path.of(System.getProperty("coordinator.jar", "target/coordinator.jar"));
    List<Peer> peers = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    try {
      peers.add(coordinator("coordinator", jar, dir.resolve("coordinator"), tls, List.of()));
      if (LIMITS_OFF_PEER) {
        peers.add(
            coordinator(
                "coordinator-limits-off",
                jar,
                dir.resolve("coordinator-limits-off"),
                tls,
                List.of(),
                LIMITS_OUT_OF_REACH));
      }
      if (JDK_PEER) {
        peers.add(
            coordinator(
                "coordinator-jdk-tls",
                jar,
                dir.resolve("coordinator-jdk"),
                tls,
                List.of("-Dio.netty.handler.ssl.noOpenSsl=true")));
      }
      peers.add(kafka(dir.resolve("kafka"), tls.server()));
      Map<String, Double> idle = new LinkedHashMap<>();
      for (Peer peer : peers) {
        idle.put(peer.name(), idleCpuMsPerSecond(peer));
      }
      System.out.printf("%nidle CPU ms/s: %s%n", idle);
      // Round 0 warms up every JVM (the brokers' JIT above all) and is not counted.
      for (int round = 0; round <= ROUNDS; round++) {
        for (Peer peer : inRoundOrder(peers, round)) {
          for (String protocol : inRoundOrder(PROTOCOLS, round)) {
            List<Run> these =
                runOnce(
                    peer,
                    protocol,
                    clientConfigs.get(protocol),
                    idle.get(peer.name()),
                    "tls-bench-" + protocol.toLowerCase() + "-" + round,
                    dir);
            if (round > 0) {
              runs.addAll(these);
            }
            System.out.printf("round %d %s %s: %s%n", round, peer.name(), protocol, these);
          }
        }
      }
      print(peers, runs);
    } finally {
      for (Peer peer : peers) {
        peer.close();
      }
    }
  }

  static List<Run> runOnce(
      Peer peer,
      String protocol,
      Path clientConfig,
      double idleCpuMsPerSecond,
      String topic,
      Path dir)
      throws Exception {
    String bootstrap = "127.0.0.1:" + peer.port(protocol);
    String plaintext = "127.0.0.1:" + peer.port("PLAINTEXT");
    createTopic(plaintext, topic);
    List<Run> runs = new ArrayList<>();
    double mb = (double) RECORDS * RECORD_SIZE / (1024 * 1024);

    Measured produced =
        measure(
            peer,
            idleCpuMsPerSecond,
            dir.resolve("producer.log"),
            PerformanceTools.PRODUCER,
            producerPerformance(topic, RECORDS, RECORD_SIZE, clientConfig, bootstrap));
    double producedMbPerSecond =
        PerformanceTools.producerFigure(produced.output(), "records/sec \\(([0-9.]+) MB/sec\\)");
    runs.add(new Run(peer.name(), protocol, "produce", producedMbPerSecond, produced.cpuMs() / mb));

    Measured consumed =
        measure(
            peer,
            idleCpuMsPerSecond,
            dir.resolve("consumer.log"),
            PerformanceTools.CONSUMER,
            consumerPerformance(bootstrap, topic, RECORDS, clientConfig));
    String[] fields = PerformanceTools.consumerSummary(consumed.output(), RECORDS);
    runs.add(
        new Run(
            peer.name(),
            protocol,
            "fetch",
            Double.parseDouble(fields[8].trim()),
            consumed.cpuMs() / mb));

    deleteTopic(plaintext, topic);
    return runs;
  }

  /** ProducerPerformance's arguments as every data-path run uses them, plus {@code extraProps}. */
  static List<String> producerPerformance(
      String topic,
      long records,
      int recordSize,
      Path clientConfig,
      String bootstrap,
      String... extraProps) {
    List<String> more =
        new ArrayList<>(
            List.of(
                "--command-config",
                clientConfig.toString(),
                "--producer-props",
                "bootstrap.servers=" + bootstrap,
                "acks=1",
                "linger.ms=5",
                "batch.size=131072"));
    more.addAll(List.of(extraProps));
    return PerformanceTools.producerArgs(topic, records, recordSize, more);
  }

  /** ConsumerPerformance's arguments as every data-path run uses them. */
  static List<String> consumerPerformance(
      String bootstrap, String topic, long records, Path clientConfig) {
    return PerformanceTools.consumerArgs(
        bootstrap, topic, records, List.of("--command-config", clientConfig.toString()));
  }

  record Measured(String output, double cpuMs) {}

  /**
   * Runs a Kafka tool to its end and returns its output and the broker's CPU time meanwhile, less
   * what the broker uses when idle over the same time (the tool's JVM start and stop).
   */
  static Measured measure(
      Peer peer, double idleCpuMsPerSecond, Path log, String tool, List<String> args)
      throws Exception {
    Files.deleteIfExists(log);
    long cpuBefore = ChildProcesses.cpuTime(peer.process()).toNanos();
    long start = System.nanoTime();
    ChildProcesses.Result result =
        ChildProcesses.run(
            tool, KafkaTools.command(List.of("-Xmx1g"), tool, args), log, Duration.ofMinutes(10));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(tool + " failed:\n" + result.output());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuMs = (ChildProcesses.cpuTime(peer.process()).toNanos() - cpuBefore) / 1e6;
    return new Measured(result.output(), Math.max(0, cpuMs - idleCpuMsPerSecond * seconds));
  }

  /**
   * {@code items} in the order of {@code round}: reversed every other round, so that what drifts
   * during a run (the JIT, the page cache, the machine's other load) favours no broker or case.
   */
  static <T> List<T> inRoundOrder(List<T> items, int round) {
    List<T> ordered = new ArrayList<>(items);
    if (round % 2 == 0) {
      Collections.reverse(ordered);
    }
    return ordered;
  }

  /** Creates a topic of one partition through the broker's PLAINTEXT listener. */
  static void createTopic(String plaintext, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintext))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  static void deleteTopic(String plaintext, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintext))) {
      admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** A client's settings for the SASL_SSL listener: the bench user, trusting the bench CA. */
  static Properties saslSslClient(BrokerTls tls) {
    Properties secure = new Properties();
    secure.putAll(tls.saslClient("SCRAM-SHA-512", USER, PASSWORD));
    return secure;
  }

  static double idleCpuMsPerSecond(Peer peer) throws Exception {
    long before = ChildProcesses.cpuTime(peer.process()).toNanos();
    long start = System.nanoTime();
    Thread.sleep(5_000); // the idle rate is what is measured here
    return (ChildProcesses.cpuTime(peer.process()).toNanos() - before)
        / 1e6
        / ((System.nanoTime() - start) / 1e9);
  }

  static void print(List<Peer> peers, List<Run> runs) {
    System.out.printf(
        "%n%d records of %d bytes per run, %d rounds after a warm-up round; medians (min–max)%n",
        RECORDS, RECORD_SIZE, ROUNDS);
    System.out.printf(
        "%-22s %-8s %-10s %-24s %-24s%n",
        "broker", "phase", "protocol", "MB/s", "broker CPU ms/MB");
    for (Peer peer : peers) {
      for (String phase : List.of("produce", "fetch")) {
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (String protocol : PROTOCOLS) {
          List<Run> these =
              runs.stream()
                  .filter(
                      r ->
                          r.peer().equals(peer.name())
                              && r.phase().equals(phase)
                              && r.protocol().equals(protocol))
                  .toList();
          double[] mbs = these.stream().mapToDouble(Run::mbPerSecond).sorted().toArray();
          double[] cpu = these.stream().mapToDouble(Run::cpuMsPerMb).sorted().toArray();
          medians.put(protocol, new double[] {median(mbs), median(cpu)});
          System.out.printf(
              "%-22s %-8s %-10s %-24s %-24s%n",
              peer.name(),
              phase,
              protocol,
              String.format("%.1f (%.1f–%.1f)", median(mbs), mbs[0], mbs[mbs.length - 1]),
              String.format("%.2f (%.2f–%.2f)", median(cpu), cpu[0], cpu[cpu.length - 1]));
        }
        double[] plain = medians.get("PLAINTEXT");
        double[] tls = medians.get("SASL_SSL");
        System.out.printf(
            "%-22s %-8s TLS cost: throughput x%.2f, CPU/MB x%.2f (+%.2f ms/MB)%n",
            peer.name(), phase, tls[0] / plain[0], tls[1] / plain[1], tls[1] - plain[1]);
      }
    }
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static Path write(Path file, Properties properties) throws Exception {
    StringBuilder text = new StringBuilder();
    properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text.toString());
    return file;
  }

  static Peer coordinator(
      String name, Path jar, Path dataDir, BrokerTls tls, List<String> jvmOptions)
      throws Exception {
    return coordinator(name, jar, dataDir, tls, jvmOptions, List.of());
  }

  static Peer coordinator(
      String name,
      Path jar,
      Path dataDir,
      BrokerTls tls,
      List<String> jvmOptions,
      List<String> brokerFlags)
      throws Exception {
    Files.createDirectories(dataDir);
    Path users = dataDir.resolveSibling(name + ".users");
    Files.writeString(users, USER + ":" + PASSWORD + "\n");
    int plain = FreePort.pick();
    int secure = FreePort.pick();
    List<String> options = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"));
    options.addAll(jvmOptions);
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--listeners",
                "PLAINTEXT://127.0.0.1:" + plain + ",SASL_SSL://127.0.0.1:" + secure,
                "--advertised-host",
                "127.0.0.1",
                "--http-port",
                String.valueOf(FreePort.pick()),
                "--data-dir",
                dataDir.toString(),
                "--sasl-users",
                users.toString(),
                "--group-initial-rebalance-delay",
                "0s"));
    flags.addAll(tls.brokerFlags());
    flags.addAll(brokerFlags);
    Process process =
        ChildProcesses.start(
            ChildProcesses.javaJarCommand(options, jar, flags),
            dataDir.resolveSibling(name + ".log"));
    FreePort.awaitListening(secure, Duration.ofSeconds(60), process);
    System.out.println(
        name
            + ": "
            + PerformanceTools.last(
                    Files.readString(dataDir.resolveSibling(name + ".log")), "TLS from")
                .trim());
    return new Peer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int port(String protocol) {
        return protocol.equals("PLAINTEXT") ? plain : secure;
      }

      @Override
      public ProcessHandle process() {
        return process.toHandle();
      }

      @Override
      public void close() throws Exception {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
      }
    };
  }

  static Peer kafka(Path dataDir, TestCertificates.Issued server) throws Exception {
    Files.createDirectories(dataDir);
    // Kafka's PEM key store: the private key and the certificate chain in one file.
    Path keyStore = dataDir.resolveSibling("kafka-keystore.pem");
    Files.writeString(
        keyStore, Files.readString(server.privateKey()) + Files.readString(server.certificate()));
    KafkaBroker broker =
        KafkaBroker.builder()
            .dataDir(dataDir)
            .listener("SASL_SSL", "SASL_SSL")
            .property("sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .property(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .property("ssl.keystore.type", "PEM")
            .property("ssl.keystore.location", keyStore.toString())
            .build()
            .start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    return new Peer() {
      @Override
      public String name() {
        return "kafka-4.4";
      }

      @Override
      public int port(String protocol) {
        return protocol.equals("PLAINTEXT") ? broker.port() : broker.port("SASL_SSL");
      }

      @Override
      public ProcessHandle process() {
        return broker.processHandle();
      }

      @Override
      public void close() {
        broker.stop();
      }
    };
  }
}
