package io.groupwarden.e2e;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : set.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        String value =
            secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())
                ? secret.getStringData().get(ref.getKey())
                : new String(
                    Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                    StandardCharsets.UTF_8);
        env.put(var.getName(), value);
      } else if (var.getValueFrom() != null
          && var.getValueFrom().getFieldRef() != null
          && "metadata.name".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(var.getName(), pod);
      }
    }
    // a workstation: metrics of several workers must not collide on one port
    env.put("SINK_METRICS_PORT", String.valueOf(freePort()));
    return env;
  }

  private static int freePort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    workers.forEach(Process::destroy);
    for (Process worker : workers) {
      try {
        if (!worker.waitFor(20, TimeUnit.SECONDS)) {
          worker.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.destroyForcibly();
      }
    }
  }
}
