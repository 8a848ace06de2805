package io.groupwarden.sink;

import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link SinkWorker} running in the test JVM on its own thread. */
public final class WorkerRunner implements AutoCloseable {
  private final SinkMetrics metrics = new SinkMetrics();
  private final SinkWorker worker;
  private final Thread thread;

  private WorkerRunner(Map<String, String> environment) {
    worker = SinkWorker.create(SinkConfig.fromEnvironment(environment), metrics, Clock.systemUTC());
    thread = new Thread(worker, "sink-worker-" + environment.get("SINK_INSTANCE_ID"));
    thread.start();
  }

  public static WorkerRunner start(Map<String, String> environment) {
    return new WorkerRunner(environment);
  }

  /** The environment of a worker; {@code overrides} are name, value pairs. */
  public static Map<String, String> environment(
      String bootstrapServers,
      String topic,
      String group,
      String instance,
      String mongoUri,
      String collection,
      String... overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("SINK_BOOTSTRAP_SERVERS", bootstrapServers);
    env.put("SINK_TOPIC", topic);
    env.put("SINK_GROUP_ID", group);
    env.put("SINK_INSTANCE_ID", instance);
    env.put("SINK_MONGODB_URI", mongoUri);
    env.put("SINK_MONGODB_DATABASE", MongoWireServer.DATABASE);
    env.put("SINK_MONGODB_COLLECTION", collection);
    env.put("SINK_RETRY_BACKOFF", "100ms");
    env.put("SINK_RETRY_BACKOFF_MAX", "500ms");
    env.put("SINK_KAFKA_SESSION_TIMEOUT", "10s");
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return env;
  }

  public SinkWorker worker() {
    return worker;
  }

  public SinkMetrics metrics() {
    return metrics;
  }

  /** The value of one sample of the Prometheus exposition, 0 when absent. */
  public double metric(String name, String labels) {
    String series = labels.isEmpty() ? name : name + "{" + labels + "}";
    Matcher matcher =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics.scrape());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  /** Stops the worker as SIGTERM would, and waits for it. */
  public void stop() {
    worker.stop();
    try {
      if (!worker.awaitStopped(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the worker did not stop within 30 s");
      }
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (worker.failure() != null) {
      throw new IllegalStateException("the worker failed", worker.failure());
    }
  }

  @Override
  public void close() {
    if (thread.isAlive()) {
      stop();
    }
  }
}
