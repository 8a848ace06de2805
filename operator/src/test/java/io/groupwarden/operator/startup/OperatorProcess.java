package io.groupwarden.operator.startup;

import io.groupwarden.operator.OperatorMain;
import io.groupwarden.testkit.ChildProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar operator.jar} as a child process on the test classpath, with its output. */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final long startedNanos = System.nanoTime();

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the operator with only the given environment (plus PATH), in {@code dir}. */
  static OperatorProcess start(Path dir, Map<String, String> env) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    Path log = Files.createTempFile(dir, "operator", ".log");
    Map<String, String> environment = new HashMap<>(env);
    environment.putIfAbsent("HOME", dir.toString());
    environment.putIfAbsent("GROUPWARDEN_HTTP_PORT", "0");
    environment.putIfAbsent("GROUPWARDEN_LEADER_ELECTION", "false");
    ProcessBuilder builder =
        new ProcessBuilder(
                ChildProcesses.javaCommand(
                    // the child must not find the test JVM's kubeconfig through a system property
                    List.of("-Xmx256m", "-Duser.home=" + dir),
                    classpath,
                    OperatorMain.class.getName(),
                    List.of()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // nothing of this machine's environment (KUBECONFIG, KUBERNETES_SERVICE_HOST) leaks in
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(environment);
    return new OperatorProcess(builder.start(), log);
  }

  /** Waits for the exit; null when the process still runs after {@code timeout}. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  List<String> lines() throws IOException {
    return Files.readAllLines(log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(20));
  }
}
