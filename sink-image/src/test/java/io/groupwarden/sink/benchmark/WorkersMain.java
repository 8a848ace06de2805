package io.groupwarden.sink.benchmark;

import io.groupwarden.sink.SinkWorker;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Several sink workers in one JVM, for the benchmark: Kafka Connect runs its tasks in one JVM, so
 * on one machine the fair comparison runs groupwarden's workers in one JVM as well. Each worker
 * gets {@code SINK_INSTANCE_ID} with its index appended; the count is the first argument.
 */
public final class WorkersMain {
  private WorkersMain() {}

  /**
   * Where the process's CPU went since it started, by Java thread, and what no Java thread accounts
   * for (the JIT compilers, the garbage collector and the JVM's own threads).
   */
  private static void printCpuByThread() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byName = new TreeMap<>();
    long javaThreads = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info == null || cpu < 0) {
        continue;
      }
      // one line per kind of thread: numbers and ids dropped
      String kind = info.getThreadName().replaceAll("[-0-9a-f]{6,}|\\d+", "#");
      byName.merge(kind, cpu, Long::sum);
      javaThreads += cpu;
    }
    long process =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    StringBuilder report = new StringBuilder("CPU by thread (ms):");
    byName.entrySet().stream()
        .filter(e -> e.getValue() >= 50_000_000L)
        .forEach(
            e ->
                report.append(' ').append(e.getKey()).append('=').append(e.getValue() / 1_000_000));
    report
        .append(" | outside Java threads (JIT, GC, VM)=")
        .append((process - javaThreads) / 1_000_000)
        .append(" | process=")
        .append(process / 1_000_000)
        .append(" | JIT time=")
        .append(ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      report.append(" | ").append(gc.getName()).append(" ms=").append(gc.getCollectionTime());
    }
    System.out.println(report);
  }

  public static void main(String[] args) throws InterruptedException {
    int count = Integer.parseInt(args[0]);
    List<SinkWorker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("SINK_INSTANCE_ID", env.get("SINK_INSTANCE_ID") + "-" + i);
      SinkWorker worker =
          SinkWorker.create(SinkConfig.fromEnvironment(env), new SinkMetrics(), Clock.systemUTC());
      workers.add(worker);
      Thread thread = new Thread(worker, "worker-" + i);
      threads.add(thread);
      thread.start();
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  printCpuByThread(); // while the workers' threads still run
                  workers.forEach(SinkWorker::stop);
                  for (SinkWorker worker : workers) {
                    try {
                      worker.awaitStopped(Duration.ofSeconds(20));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                }));
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
