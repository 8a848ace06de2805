package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.bench.TlsCostBenchmark.Measured;
import io.groupwarden.coordinator.bench.TlsCostBenchmark.Peer;
import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.testkit.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The data path of the coordinator broker against Apache Kafka 4.4 in the same run: produce and
 * fetch records/s and each broker's CPU time per MB of record payload, loaded by Kafka's own
 * ProducerPerformance and ConsumerPerformance (child processes), for 200-byte records, 1 KiB
 * records, 1 KiB records in lz4 and in zstd batches (PLAINTEXT), and 1 KiB records over SASL_SSL.
 * Each round runs every broker and case once, in alternating order; a warm-up round is not counted.
 * Produce CPU is the broker's over the producer's whole run; fetch CPU is the broker's over the
 * window in which the consumer fetched (sampled every 20 ms), each less the broker's idle rate. Not
 * a test:
 *
 * <pre>
 * ./mvnw -B -pl coordinator-image -am -Pbench -DskipTests verify \
 *     -Dbench.main=io.groupwarden.coordinator.bench.DataPathBenchmark
 * </pre>
 *
 * <p>{@code -Dbench.rounds} (default 2), {@code -Dbench.scale} (default 1: 1,200,000 records of 200
 * bytes, 400,000 of 1 KiB per run), {@code -Dbench.saslSsl=false} leaves the SASL_SSL case out, and
 * {@code -Dbench.jfr=/dir} records the coordinator with JFR during the fetch of 1 KiB records in
 * the last round ({@code fetch-1k.jfr}).
 */
public final class DataPathBenchmark {
  static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
  static final double SCALE = Double.parseDouble(System.getProperty("bench.scale", "1"));
  static final boolean SASL_SSL = Boolean.parseBoolean(System.getProperty("bench.saslSsl", "true"));
  static final String JFR_DIR = System.getProperty("bench.jfr");

  /** One load: record size, the producer's compression, the listener. */
  record Case(String name, int recordSize, int records, String compression, String protocol) {}

  record Run(String peer, Case load, String phase, double recordsPerSecond, double cpuMsPerMb) {}

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("200 B", 200, (int) (1_200_000 * SCALE), "none", "PLAINTEXT"));
    cases.add(new Case("1 KiB", 1024, (int) (400_000 * SCALE), "none", "PLAINTEXT"));
    cases.add(new Case("1 KiB lz4", 1024, (int) (400_000 * SCALE), "lz4", "PLAINTEXT"));
    cases.add(new Case("1 KiB zstd", 1024, (int) (400_000 * SCALE), "zstd", "PLAINTEXT"));
    if (SASL_SSL) {
      cases.add(new Case("1 KiB SASL_SSL", 1024, (int) (400_000 * SCALE), "none", "SASL_SSL"));
    }
    return cases;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("data-path-bench");
    BrokerTls tls = BrokerTls.issue(dir.resolve("tls"), "bench-ca");
    Path plainConfig =
        TlsCostBenchmark.write(dir.resolve("plaintext.properties"), new Properties());
    Path secureConfig =
        TlsCostBenchmark.write(
            dir.resolve("sasl-ssl.properties"), TlsCostBenchmark.saslSslClient(tls));

    Path jar = Path.of(System.getProperty("coordinator.jar", "target/coordinator.jar"));
    List<Peer> peers = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    List<Case> cases = cases();
    try {
      peers.add(
          TlsCostBenchmark.coordinator(
              "coordinator", jar, dir.resolve("coordinator"), tls, List.of()));
      peers.add(TlsCostBenchmark.kafka(dir.resolve("kafka"), tls.server()));
      Map<String, Double> idle = new java.util.LinkedHashMap<>();
      for (Peer peer : peers) {
        idle.put(peer.name(), TlsCostBenchmark.idleCpuMsPerSecond(peer));
      }
      System.out.printf("%nidle CPU ms/s: %s; load: %s%n", idle, loadAverage());
      for (int round = 0; round <= ROUNDS; round++) {
        for (Peer peer : TlsCostBenchmark.inRoundOrder(peers, round)) {
          for (Case load : TlsCostBenchmark.inRoundOrder(cases, round)) {
            boolean profile =
                JFR_DIR != null
                    && round == ROUNDS
                    && peer.name().equals("coordinator")
                    && load.name().equals("1 KiB");
            List<Run> these =
                runOnce(
                    peer,
                    load,
                    load.protocol().equals("PLAINTEXT") ? plainConfig : secureConfig,
                    idle.get(peer.name()),
                    "data-path-" + round + "-" + load.name().replaceAll("[^A-Za-z0-9]", ""),
                    dir,
                    profile);
            if (round > 0) {
              runs.addAll(these);
            }
            System.out.printf(
                "round %d %s %s: %s (load %s)%n",
                round, peer.name(), load.name(), these, loadAverage());
          }
        }
      }
      print(cases, runs);
    } finally {
      for (Peer peer : peers) {
        peer.close();
      }
    }
  }

  static List<Run> runOnce(
      Peer peer,
      Case load,
      Path clientConfig,
      double idleCpuMsPerSecond,
      String topic,
      Path dir,
      boolean profile)
      throws Exception {
    String bootstrap = "127.0.0.1:" + peer.port(load.protocol());
    String plaintext = "127.0.0.1:" + peer.port("PLAINTEXT");
    TlsCostBenchmark.createTopic(plaintext, topic);
    List<Run> runs = new ArrayList<>();
    double mb = (double) load.records() * load.recordSize() / (1024 * 1024);

    Measured produced =
        TlsCostBenchmark.measure(
            peer,
            idleCpuMsPerSecond,
            dir.resolve("producer.log"),
            PerformanceTools.PRODUCER,
            TlsCostBenchmark.producerPerformance(
                topic,
                load.records(),
                load.recordSize(),
                clientConfig,
                bootstrap,
                "compression.type=" + load.compression()));
    double producedPerSecond =
        PerformanceTools.producerFigure(produced.output(), "([0-9.]+) records/sec");
    runs.add(new Run(peer.name(), load, "produce", producedPerSecond, produced.cpuMs() / mb));

    if (profile) {
      jcmd(peer, "JFR.start", "name=fetch", "filename=" + Path.of(JFR_DIR, "fetch-1k.jfr"));
    }
    CpuSampler sampler = new CpuSampler(peer.process());
    Measured consumed;
    try {
      consumed =
          TlsCostBenchmark.measure(
              peer,
              idleCpuMsPerSecond,
              dir.resolve("consumer.log"),
              PerformanceTools.CONSUMER,
              TlsCostBenchmark.consumerPerformance(bootstrap, topic, load.records(), clientConfig));
    } finally {
      sampler.stop();
    }
    if (profile) {
      jcmd(peer, "JFR.stop", "name=fetch");
    }
    String[] fields = PerformanceTools.consumerSummary(consumed.output(), load.records());
    // The broker's CPU while records were being fetched (after the group join, until the last
    // record), less its idle rate over that window only: a fetch of a few hundred MB takes a
    // second or two, and the consumer JVM's start and stop would otherwise swamp it.
    long end = parseTime(fields[1]);
    long start = Math.min(end, parseTime(fields[0]) + Long.parseLong(fields[6].trim()));
    double windowCpuMs =
        Math.max(0, sampler.cpuMsBetween(start, end) - idleCpuMsPerSecond * (end - start) / 1000.0);
    runs.add(
        new Run(
            peer.name(), load, "fetch", Double.parseDouble(fields[9].trim()), windowCpuMs / mb));

    TlsCostBenchmark.deleteTopic(plaintext, topic);
    return runs;
  }

  static final DateTimeFormatter TOOL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss:SSS");

  /** A time as ConsumerPerformance prints it (local time), in epoch milliseconds. */
  static long parseTime(String text) {
    return LocalDateTime.parse(text.trim(), TOOL_TIME)
        .atZone(ZoneId.systemDefault())
        .toInstant()
        .toEpochMilli();
  }

  /** The broker's CPU time, read every 20 ms, so that the CPU of a time window can be taken. */
  static final class CpuSampler {
    private final List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CpuSampler(ProcessHandle process) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  samples.add(
                      new long[] {
                        System.currentTimeMillis(), ChildProcesses.cpuTime(process).toNanos()
                      });
                  try {
                    Thread.sleep(20); // the sampling period
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "cpu-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    /** CPU ms between two wall-clock times, interpolated between samples. */
    double cpuMsBetween(long from, long to) {
      return (cpuAt(to) - cpuAt(from)) / 1e6;
    }

    private double cpuAt(long time) {
      long[] before = samples.get(0);
      for (long[] sample : samples) {
        if (sample[0] >= time) {
          if (sample[0] == before[0]) {
            return sample[1];
          }
          double share = (double) (time - before[0]) / (sample[0] - before[0]);
          return before[1] + share * (sample[1] - before[1]);
        }
        before = sample;
      }
      return before[1];
    }
  }

  static void jcmd(Peer peer, String... command) throws Exception {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(String.valueOf(peer.process().pid()));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + List.of(command) + " failed: " + output);
    }
    System.out.println("jcmd " + String.join(" ", command) + ": " + output.trim());
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  static void print(List<Case> cases, List<Run> runs) {
    System.out.printf(
        "%n%d rounds after a warm-up round; medians (min–max); CPU per MB of record payload%n",
        ROUNDS);
    System.out.printf(
        "%-16s %-8s %-26s %-26s %-20s %-20s %-8s %-8s%n",
        "case",
        "phase",
        "coordinator records/s",
        "kafka records/s",
        "coordinator ms/MB",
        "kafka ms/MB",
        "rate x",
        "CPU x");
    for (Case load : cases) {
      for (String phase : List.of("produce", "fetch")) {
        double[] ours = stats(runs, "coordinator", load, phase, Run::recordsPerSecond);
        double[] theirs = stats(runs, "kafka-4.4", load, phase, Run::recordsPerSecond);
        double[] ourCpu = stats(runs, "coordinator", load, phase, Run::cpuMsPerMb);
        double[] theirCpu = stats(runs, "kafka-4.4", load, phase, Run::cpuMsPerMb);
        System.out.printf(
            "%-16s %-8s %-26s %-26s %-20s %-20s %-8s %-8s%n",
            load.name(),
            phase,
            String.format("%.0f (%.0f–%.0f)", ours[0], ours[1], ours[2]),
            String.format("%.0f (%.0f–%.0f)", theirs[0], theirs[1], theirs[2]),
            String.format("%.2f (%.2f–%.2f)", ourCpu[0], ourCpu[1], ourCpu[2]),
            String.format("%.2f (%.2f–%.2f)", theirCpu[0], theirCpu[1], theirCpu[2]),
            String.format("%.2f", ours[0] / theirs[0]),
            String.format("%.2f", ourCpu[0] / theirCpu[0]));
      }
    }
  }

  /** Median, min and max of one figure over the counted rounds. */
  static double[] stats(
      List<Run> runs,
      String peer,
      Case load,
      String phase,
      java.util.function.ToDoubleFunction<Run> figure) {
    double[] values =
        runs.stream()
            .filter(r -> r.peer().equals(peer) && r.load().equals(load) && r.phase().equals(phase))
            .mapToDouble(figure)
            .sorted()
            .toArray();
    if (values.length == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {TlsCostBenchmark.median(values), values[0], values[values.length - 1]};
  }
}
