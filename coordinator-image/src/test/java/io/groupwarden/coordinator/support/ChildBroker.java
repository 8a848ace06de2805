package io.groupwarden.coordinator.support;

import io.groupwarden.coordinator.CoordinatorMain;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The broker as a separate process ({@code CoordinatorMain}), so it can be killed for real. */
public final class ChildBroker implements AutoCloseable {
  private final int port = FreePort.pick();
  private final int httpPort = FreePort.pick();
  private final Path dataDir;
  private Process process;
  private final List<String> extraArguments = new ArrayList<>();
  private String heap = "-Xmx512m";
  private final List<String> jvmOptions = new ArrayList<>();
  private int descriptorLimit;

  /** More flags, e.g. limits; given after the standard ones. */
  public ChildBroker withArguments(List<String> arguments) {
    extraArguments.addAll(arguments);
    return this;
  }

  /** Starts the broker under {@code ulimit -n limit}: at most that many open files. */
  public ChildBroker withDescriptorLimit(int limit) {
    descriptorLimit = limit;
    return this;
  }

  /** More JVM options, such as system properties. */
  public ChildBroker withJvmOptions(List<String> options) {
    jvmOptions.addAll(options);
    return this;
  }

  /** The child's heap, as a JVM option such as {@code -Xmx768m} (a pod-sized heap). */
  public ChildBroker withHeap(String option) {
    heap = option;
    return this;
  }

  public ChildBroker(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * The broker's flags for a run on this machine: loopback only, the given ports and data
   * directory, and no initial rebalance delay.
   */
  public static List<String> arguments(int port, int httpPort, Path dataDir) {
    return List.of(
        "--host",
        "127.0.0.1",
        "--advertised-host",
        "127.0.0.1",
        "--port",
        String.valueOf(port),
        "--http-port",
        String.valueOf(httpPort),
        "--data-dir",
        dataDir.toString(),
        "--group-initial-rebalance-delay",
        "0s");
  }

  /** Starts and waits until {@code listeningPort} (a port of --listeners) accepts. */
  public ChildBroker startOn(int listeningPort) {
    launch();
    FreePort.awaitListening(listeningPort, Duration.ofSeconds(30), process);
    return this;
  }

  public ChildBroker start() {
    launch();
    FreePort.awaitListening(port, Duration.ofSeconds(30), process);
    return this;
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(ChildProcesses.javaLauncher(), heap));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", TestClasspath.get(), CoordinatorMain.class.getName()));
    command.addAll(arguments(port, httpPort, dataDir));
    command.addAll(extraArguments);
    if (descriptorLimit > 0) {
      // The shell sets the limit and then becomes the JVM, so the process to watch is the broker.
      List<String> limited =
          new ArrayList<>(
              List.of("sh", "-c", "ulimit -n " + descriptorLimit + " && exec \"$0\" \"$@\""));
      limited.addAll(command);
      command = limited;
    }
    process = ChildProcesses.start(command, dataDir.resolveSibling(dataDir.getFileName() + ".log"));
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The broker's process (the JVM itself, also when started through a shell). */
  public ProcessHandle processHandle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path log() {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }
}
