package io.groupwarden.coordinator.bench;

import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code java -jar coordinator.jar} takes until its Kafka port accepts connections, on an
 * empty data directory, for one or more builds of the broker started in turn (so a busy machine
 * slows them alike), and the CPU time the JVM has used by then. Not a test:
 *
 * <pre>
 * ./mvnw -B -pl coordinator-image -am -Pbench -Dbench.main=io.groupwarden.coordinator.bench.StartupBenchmark \
 *   -Dbench.jars=old=/path/old.jar,new=coordinator-image/target/coordinator.jar -DskipTests verify
 * </pre>
 *
 * Without {@code bench.jars} it times {@code coordinator.jar} of this build only. Every build gets
 * the same flags, which the broker has accepted since before picocli: {@code --port}, {@code
 * --http-port}, {@code --data-dir}. With {@code -Dbench.cds=true} each build is also timed with a
 * class-data archive trained the way the image's Dockerfile trains it ({@code +CDS}).
 */
public final class StartupBenchmark {
  static final int STARTS = Integer.getInteger("bench.starts", 10);

  /** A build of the broker and the JVM options it starts with. */
  record Build(Path jar, List<String> jvmOptions) {}

  public static void main(String[] args) throws Exception {
    Map<String, Path> jars = new LinkedHashMap<>();
    String given = System.getProperty("bench.jars", "");
    if (given.isBlank()) {
      jars.put(
          "this build", Path.of(System.getProperty("coordinator.jar", "target/coordinator.jar")));
    } else {
      for (String entry : given.split(",")) {
        String[] parts = entry.split("=", 2);
        jars.put(parts[0], Path.of(parts[1]));
      }
    }
    Map<String, Build> builds = new LinkedHashMap<>();
    for (Map.Entry<String, Path> jar : jars.entrySet()) {
      builds.put(jar.getKey(), new Build(jar.getValue(), List.of()));
      if (Boolean.getBoolean("bench.cds")) {
        Path archive = trainArchive(jar.getValue());
        builds.put(
            jar.getKey() + " +CDS",
            new Build(jar.getValue(), List.of("-XX:SharedArchiveFile=" + archive)));
      }
    }
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    builds.keySet().forEach(name -> results.put(name, new ArrayList<>()));
    for (int i = 0; i < STARTS + 1; i++) {
      List<String> order = new ArrayList<>(builds.keySet());
      if (i % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (String name : order) {
        double[] one = startOnce(builds.get(name));
        if (i > 0) { // the first round warms the page cache
          results.get(name).add(one);
        }
        System.out.printf("%s: %.0f ms, %.0f ms CPU%n", name, one[0], one[1]);
      }
    }
    System.out.printf("%n%d starts each (after one warm-up), medians (min–max)%n", STARTS);
    results.forEach(
        (name, list) -> {
          double[] wall = list.stream().mapToDouble(r -> r[0]).sorted().toArray();
          double[] cpu = list.stream().mapToDouble(r -> r[1]).sorted().toArray();
          System.out.printf(
              "%-20s until listening %5.0f ms (%.0f–%.0f), CPU %5.0f ms (%.0f–%.0f)%n",
              name,
              wall[wall.length / 2],
              wall[0],
              wall[wall.length - 1],
              cpu[cpu.length / 2],
              cpu[0],
              cpu[cpu.length - 1]);
        });
  }

  /** The image's training start: the broker starts, stops, and the JVM archives its classes. */
  static Path trainArchive(Path jar) throws Exception {
    Path dir = Files.createTempDirectory("startup-bench-cds");
    Path archive = dir.resolve("coordinator.jsa");
    ChildProcesses.Result training =
        ChildProcesses.run(
            "the training start of " + jar,
            List.of(
                ChildProcesses.javaLauncher(),
                "-XX:ArchiveClassesAtExit=" + archive,
                "-Dcoordinator.exitAfterStart=true",
                "-jar",
                jar.toString(),
                "--port",
                "0",
                "--http-port",
                "0",
                "--data-dir",
                dir.resolve("data").toString()),
            dir.resolve("training.log"),
            Duration.ofSeconds(120));
    if (training.exitCode() != 0) {
      throw new IllegalStateException("training start of " + jar + " failed, see " + dir);
    }
    return archive;
  }

  /** Wall time from launch until the port accepts, and the CPU time the JVM had used by then. */
  static double[] startOnce(Build build) throws Exception {
    Path jar = build.jar();
    Path data = Files.createTempDirectory("startup-bench");
    int port = FreePort.pick();
    List<String> command =
        ChildProcesses.javaJarCommand(
            build.jvmOptions(),
            jar,
            List.of(
                "--port",
                String.valueOf(port),
                "--http-port",
                String.valueOf(FreePort.pick()),
                "--data-dir",
                data.toString()));
    long start = System.nanoTime();
    Process process =
        ChildProcesses.start(command, data.resolveSibling(data.getFileName() + ".log"));
    try {
      while (!accepts(port)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(jar + " exited with " + process.exitValue());
        }
        if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
          throw new IllegalStateException(jar + " did not listen within 60 s");
        }
        // A pause between attempts, so that polling does not take the CPU the start needs.
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      double wallMs = (System.nanoTime() - start) / 1e6;
      double cpuMs = ChildProcesses.cpuTime(process.toHandle()).toNanos() / 1e6;
      return new double[] {wallMs, cpuMs};
    } finally {
      ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
