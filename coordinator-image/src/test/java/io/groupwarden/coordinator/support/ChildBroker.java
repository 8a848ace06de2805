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
  private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
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
    jvmOptions.removeIf(o -> o.startsWith("-Xmx"));
    jvmOptions.add(0, option);
    return this;
  }

  /** {@code extraArguments}: more flags, e.g. "--group-consumer-session-timeout", "3s". */
  public ChildBroker(Path dataDir, String... extraArguments) {
    this.dataDir = dataDir;
    this.extraArguments.addAll(List.of(extraArguments));
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
    FreePort.awaitListening(httpPort, Duration.ofSeconds(10), process);
    return this;
  }

  /** Starts with these JVM options (heap size included) and extra broker flags. */
  public ChildBroker start(List<String> jvmOptions, List<String> flags) {
    this.jvmOptions.clear();
    this.jvmOptions.addAll(jvmOptions);
    extraArguments.addAll(flags);
    return start();
  }

  private void launch() {
    List<String> flags = new ArrayList<>(arguments(port, httpPort, dataDir));
    flags.addAll(extraArguments);
    List<String> command =
        ChildProcesses.javaCommand(
            jvmOptions, TestClasspath.get(), CoordinatorMain.class.getName(), flags);
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

  public String httpBase() {
    return "http://127.0.0.1:" + httpPort;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  @Override
  public void close() {
    if (process != null) {
      ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
  }
}
