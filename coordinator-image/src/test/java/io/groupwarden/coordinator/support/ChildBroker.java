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
  private final List<String> extraArguments;
  private Process process;

  /** {@code extraArguments}: more flags, e.g. "--group-consumer-session-timeout", "3s". */
  public ChildBroker(Path dataDir, String... extraArguments) {
    this.dataDir = dataDir;
    this.extraArguments = List.of(extraArguments);
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
        "0");
  }

  public ChildBroker start() {
    List<String> command =
        new ArrayList<>(
            List.of(
                ChildProcesses.javaLauncher(),
                "-Xmx512m",
                "-cp",
                TestClasspath.get(),
                CoordinatorMain.class.getName()));
    command.addAll(arguments(port, httpPort, dataDir));
    command.addAll(extraArguments);
    process = ChildProcesses.start(command, dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    FreePort.awaitListening(port, Duration.ofSeconds(30), process);
    return this;
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
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
