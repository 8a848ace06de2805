package io.groupwarden.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process a test starts is registered here so that it is killed when the test JVM exits, even
 * if the test forgot to stop it.
 */
public final class ChildProcesses {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process process : LIVE) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                  }
                },
                "testkit-reaper"));
  }

  private ChildProcesses() {}

  /** Starts a process with its stdout and stderr appended to {@code log}. */
  public static Process start(List<String> command, Path log) {
    return start(command, log, java.util.Map.of());
  }

  /** Starts a process with extra environment variables, its output appended to {@code log}. */
  public static Process start(List<String> command, Path log, java.util.Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process process = builder.start();
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      return process;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
  }

  /** How a process that ran to its end ended: its exit code and everything it printed. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs a command to its end, its output appended to {@code log}, and returns how it ended.
   *
   * @param name what the command is, for the error message (its command line can be very long)
   * @throws IllegalStateException when it runs longer than {@code timeout} (it is then killed), or
   *     when the wait is interrupted (the interrupt is kept)
   */
  public static Result run(String name, List<String> command, Path log, Duration timeout) {
    Process process = start(command, log);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            name + " did not finish within " + timeout + ": " + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while " + name + " ran", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asks a process to stop (SIGTERM, so its shutdown hooks run), waits up to {@code grace} for its
   * exit, then kills it; see {@link #awaitExit}.
   */
  public static void stop(Process process, Duration grace) {
    process.destroy();
    awaitExit(process, grace);
  }

  /**
   * Waits up to {@code grace} for a process already asked to stop, then kills it (SIGKILL) and
   * waits for that. Interrupted, it kills the process at once and keeps the interrupt for the
   * caller, so that a cancelled test leaves no child behind and still ends promptly.
   */
  public static void awaitExit(Process process, Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The java launcher of the running JVM, so children use the same JDK. */
  public static String javaLauncher() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * {@code java <jvmOptions> -cp <classpath> <mainClass> <args>} on this JVM's launcher, as a list
   * the caller may extend.
   */
  public static List<String> javaCommand(
      List<String> jvmOptions, String classpath, String mainClass, List<String> args) {
    return javaCommand(jvmOptions, List.of("-cp", classpath, mainClass), args);
  }

  /**
   * {@code java <jvmOptions> -jar <jar> <args>} on this JVM's launcher, as a list the caller may
   * extend.
   */
  public static List<String> javaJarCommand(List<String> jvmOptions, Path jar, List<String> args) {
    return javaCommand(jvmOptions, List.of("-jar", jar.toString()), args);
  }

  private static List<String> javaCommand(
      List<String> jvmOptions, List<String> entryPoint, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaLauncher());
    command.addAll(jvmOptions);
    command.addAll(entryPoint);
    command.addAll(args);
    return command;
  }

  /**
   * Extra JVM options for a child, from a system property holding them separated by whitespace
   * (e.g. a flight recording for a benchmark run); empty when the property is unset or blank.
   */
  public static List<String> jvmOptionsFrom(String property) {
    String value = System.getProperty(property, "").trim();
    return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
  }

  /** The CPU time (user and system) a process has used so far, as the OS reports it. */
  public static Duration cpuTime(ProcessHandle process) {
    return process
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()));
  }
}
