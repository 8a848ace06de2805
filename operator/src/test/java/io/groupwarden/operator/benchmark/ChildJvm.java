package io.groupwarden.operator.benchmark;

import io.groupwarden.testkit.ChildProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A main class of the benchmark's classpath in a JVM of its own, so that its heap and CPU time are
 * its own: the operator under test, or the peer.
 *
 * @param launchedNanos when the process was launched, in {@link System#nanoTime()}
 */
record ChildJvm(Process process, Path log, long launchedNanos) implements AutoCloseable {

  /**
   * Starts {@code mainClass} with the JVM options, arguments and environment given, its output in
   * {@code log}.
   */
  static ChildJvm start(
      Class<?> mainClass,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log) {
    List<String> command =
        ChildProcesses.javaCommand(
            jvmOptions, System.getProperty("java.class.path"), mainClass.getName(), args);
    long launched = System.nanoTime();
    return new ChildJvm(ChildProcesses.start(command, log, env), log, launched);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The CPU time (user and system) the process has used so far. */
  Duration cpuTime() {
    return ChildProcesses.cpuTime(process.toHandle());
  }

  /** Stops the process with SIGTERM (its shutdown hooks run, a flight recording is written). */
  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(60));
  }
}
