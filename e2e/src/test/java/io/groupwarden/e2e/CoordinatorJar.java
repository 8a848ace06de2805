package io.groupwarden.e2e;

import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The coordinator broker's shipped jar, run as a child process the way its image runs it. */
public final class CoordinatorJar {
  public static final Path JAR =
      OperatorHarness.repositoryRoot().resolve("coordinator-image/target/coordinator.jar");

  private CoordinatorJar() {}

  /** {@code java <jvmOptions> -jar coordinator.jar <flags>}. */
  public static List<String> command(List<String> jvmOptions, List<String> flags) {
    return ChildProcesses.javaJarCommand(jvmOptions, JAR, flags);
  }

  /**
   * Starts the broker serving Kafka on {@code 127.0.0.1:port} (its HTTP API on a free port), its
   * data in {@code dataDir} and its output in {@code log}, and waits until it listens.
   *
   * @param moreFlags broker flags beyond those
   */
  static Process startLocal(
      int port,
      Path dataDir,
      Path log,
      Map<String, String> env,
      List<String> jvmOptions,
      String... moreFlags) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--http-port",
                "0",
                "--data-dir",
                dataDir.toString()));
    flags.addAll(List.of(moreFlags));
    Process process = ChildProcesses.start(command(jvmOptions, flags), log, env);
    FreePort.awaitListening(port, Duration.ofSeconds(60), process);
    return process;
  }
}
