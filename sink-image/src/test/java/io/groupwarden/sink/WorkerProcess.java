package io.groupwarden.sink;

import io.groupwarden.testkit.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The worker as its own process (SinkMain in a child JVM), the way Kubernetes runs it. */
final class WorkerProcess {
  private WorkerProcess() {}

  /**
   * Starts a worker of the sink named after {@code topic} (group {@code <topic>-group}, batches of
   * 200) with the environment the reconciler would give the pod, serving HTTP on {@code
   * metricsPort} and writing its output to {@code log}; {@code overrides} are name, value pairs.
   */
  static Process start(
      String bootstrapServers,
      MongoWireServer mongo,
      String topic,
      int metricsPort,
      Path log,
      String... overrides) {
    List<String> settings =
        new ArrayList<>(
            List.of("SINK_METRICS_PORT", String.valueOf(metricsPort), "SINK_BATCH_SIZE", "200"));
    settings.addAll(List.of(overrides));
    Map<String, String> env =
        WorkerRunner.environment(
            bootstrapServers,
            topic,
            topic + "-group",
            topic + "-worker-0",
            mongo.uri(),
            topic,
            settings.toArray(String[]::new));
    List<String> command =
        ChildProcesses.javaCommand(
            List.of("-Xmx256m"),
            Path.of("target", "classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + runtimeClasspath(),
            "io.groupwarden.sink.SinkMain",
            List.of());
    return ChildProcesses.start(command, log, env);
  }

  private static String runtimeClasspath() {
    try (InputStream in = WorkerProcess.class.getResourceAsStream("worker-runtime.classpath")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A GET of the worker's HTTP port. */
  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The status of a GET of the worker's HTTP port, -1 when nothing answers. */
  static int status(int port, String path) {
    try {
      return get(port, path).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
