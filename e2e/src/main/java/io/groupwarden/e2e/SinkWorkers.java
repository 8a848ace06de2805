package io.groupwarden.e2e;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plays the kubelet for a MongoSink's worker StatefulSet: one child JVM of the sink jar per
 * replica, with the environment the operator wrote into the pod template (Secret references and the
 * pod name resolved as the kubelet would), its output in a log file.
 */
final class SinkWorkers implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Path sinkJar;
  private final Path logDir;
  private final List<Process> workers = new ArrayList<>();

  SinkWorkers(KubernetesClient client, String namespace, Path sinkJar, Path logDir) {
    this.client = client;
    this.namespace = namespace;
    this.sinkJar = sinkJar;
    this.logDir = logDir;
  }

  /** Starts the StatefulSet's replicas; returns how many. */
  synchronized int start(StatefulSet workerSet) {
    int replicas = workerSet.getSpec().getReplicas();
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      String pod = workerSet.getMetadata().getName() + "-" + ordinal;
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-jar",
                  sinkJar.toString())
              .redirectErrorStream(true)
              .redirectOutput(logDir.resolve(pod + ".log").toFile());
      builder.environment().putAll(podEnvironment(workerSet, pod));
      try {
        workers.add(builder.start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start sink worker " + pod, e);
      }
    }
    return replicas;
  }

  synchronized long running() {
    return workers.stream().filter(Process::isAlive).count();
  }

  private Map<String, String> podEnvironment(StatefulSet set, String pod) {
    Map<String, String> env =
        ContainerEnvironment.resolve(
            client, namespace, set.getSpec().getTemplate().getSpec().getContainers().get(0), pod);
    // a workstation: metrics of several workers must not collide on one port
    env.put("SINK_METRICS_PORT", String.valueOf(LocalProcesses.freePort()));
    return env;
  }

  @Override
  public synchronized void close() {
    // all are asked to stop first, so that they stop side by side
    workers.forEach(Process::destroy);
    workers.forEach(worker -> LocalProcesses.awaitExit(worker, Duration.ofSeconds(20)));
  }
}
