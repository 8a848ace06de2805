package io.groupwarden.e2e.secured;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.e2e.CoordinatorJar;
import io.groupwarden.e2e.PodRuntime;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A policy's managed coordinator run as the pod would run it: the shipped coordinator jar as a
 * child process with the environment of the ConfigMap the operator wrote and the Secrets the
 * operator created mounted as files. The pod's address is a loopback address of its own, which the
 * test JVM's hosts file ({@code cluster-hosts}) gives the Service and pod DNS names, so the
 * advertised listener is used as written. Once it listens, the StatefulSet is marked ready, as the
 * kubelet would.
 */
record ManagedCoordinatorProcess(Process process, Path log, PodRuntime pod)
    implements AutoCloseable {
  static final Path HOSTS_FILE =
      OperatorHarness.repositoryRoot().resolve("e2e/src/test/resources/cluster-hosts");

  /**
   * Waits for the operator to have written the coordinator of {@code policy}, then starts it.
   *
   * @param podAddress the pod's IP: the address {@code cluster-hosts} gives its names
   */
  static ManagedCoordinatorProcess start(
      KubernetesClient client, String namespace, String policy, String podAddress, Path dir) {
    String name = policy + "-coordinator";
    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> client.apps().statefulSets().inNamespace(namespace).withName(name).get(),
                s ->
                    s != null
                        && client.secrets().inNamespace(namespace).withName(name + "-users").get()
                            != null
                        && client
                                .secrets()
                                .inNamespace(namespace)
                                .withName(name + "-http-token")
                                .get()
                            != null);
    PodRuntime pod =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> new PodRuntime(client, namespace, sts, 0, dir).writeSecretVolumes(),
                p -> true);
    Map<String, String> env = new java.util.HashMap<>(pod.environment());
    // the pod binds every interface; here, the pod's own loopback address
    env.put("COORDINATOR_HOST", podAddress);
    env.put(
        "COORDINATOR_LISTENERS",
        env.get("COORDINATOR_LISTENERS").replace("://:", "://" + podAddress + ":"));
    List<String> command =
        CoordinatorJar.command(
            List.of("-Djdk.net.hosts.file=" + HOSTS_FILE, "-Xmx256m"), List.of());
    Path log = dir.resolve("coordinator.log");
    Process process = ChildProcesses.start(command, log, env);
    ManagedCoordinatorProcess coordinator = new ManagedCoordinatorProcess(process, log, pod);
    int port =
        Integer.parseInt(
            env.get("COORDINATOR_LISTENERS").replaceAll(".*SASL_SSL://[^:]+:(\\d+).*", "$1"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the coordinator exited: " + Files.readString(log));
              }
              return listening(podAddress, port);
            });
    sts.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(1).build());
    client.apps().statefulSets().inNamespace(namespace).resource(sts).updateStatus();
    return coordinator;
  }

  /** The kubelet's refresh of the mounted Secrets. */
  void refreshSecretVolumes() {
    pod.writeSecretVolumes();
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  private static boolean listening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(30));
  }
}
