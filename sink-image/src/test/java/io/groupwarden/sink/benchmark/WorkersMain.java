package io.groupwarden.sink.benchmark;

import io.groupwarden.sink.SinkWorker;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several sink workers in one JVM, for the benchmark: Kafka Connect runs its tasks in one JVM, so
 * on one machine the fair comparison runs groupwarden's workers in one JVM as well. Each worker
 * gets {@code SINK_INSTANCE_ID} with its index appended; the count is the first argument.
 */
public final class WorkersMain {
  private WorkersMain() {}

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
