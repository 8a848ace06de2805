package io.groupwarden.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChildProcessesTest {
  private static final int KILLED_BY_SIGKILL = 128 + 9;

  @TempDir Path dir;

  @Test
  void runReturnsTheExitCodeAndEverythingPrinted() {
    ChildProcesses.Result result =
        ChildProcesses.run(
            "a script",
            List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
            dir.resolve("run.log"),
            Duration.ofSeconds(30));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).isEqualTo("out\nerr\n");
  }

  @Test
  void javaCommandRunsAMainClassOnTheGivenClasspathWithItsOptionsAndArguments() throws Exception {
    String testClasses =
        Path.of(PrintsItsGreeting.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();

    ChildProcesses.Result result =
        ChildProcesses.run(
            "a child JVM",
            ChildProcesses.javaCommand(
                List.of("-Dgreeting=hello"),
                testClasses,
                PrintsItsGreeting.class.getName(),
                List.of("a", "b")),
            dir.resolve("java.log"),
            Duration.ofSeconds(60));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).isEqualTo("hello a,b\n");
  }

  /**
   * The main class {@link #javaCommandRunsAMainClassOnTheGivenClasspathWithItsOptionsAndArguments}
   * runs.
   */
  public static final class PrintsItsGreeting {
    public static void main(String[] args) {
      System.out.println(System.getProperty("greeting") + " " + String.join(",", args));
    }
  }

  @Test
  void runKillsACommandThatOutlastsItsTimeoutAndSaysWhatItPrinted() throws Exception {
    Path pidFile = dir.resolve("pid");
    assertThatThrownBy(
            () ->
                ChildProcesses.run(
                    "a sleeper",
                    List.of("sh", "-c", "echo $$ > " + pidFile + "; echo waiting; exec sleep 60"),
                    dir.resolve("sleeper.log"),
                    Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a sleeper did not finish within PT2S: waiting\n");

    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  // an ignored signal stays ignored across exec, so with the trap sleep itself ignores SIGTERM
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "a process that honours SIGTERM ends by it | echo ready; exec sleep 60 | 30000 | 143",
        "a process that ignores SIGTERM is killed after the grace"
            + " | trap '' TERM; echo ready; exec sleep 60 | 200 | 137"
      })
  void stopAsksFirstAndKillsOnceTheGraceIsOver(
      String description, String script, long graceMillis, int exitCode) throws Exception {
    Process process = started(script);
    try {
      ChildProcesses.stop(process, Duration.ofMillis(graceMillis));

      assertThat(process.isAlive()).isFalse();
      assertThat(process.exitValue()).isEqualTo(exitCode);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void anInterruptedWaitKillsAtOnceAndKeepsTheInterrupt() throws Exception {
    Process process = started("trap '' TERM; echo ready; exec sleep 60");
    try {
      Thread.currentThread().interrupt();
      ChildProcesses.stop(process, Duration.ofMinutes(5));

      assertThat(Thread.interrupted()).isTrue();
      assertThat(process.waitFor()).isEqualTo(KILLED_BY_SIGKILL);
    } finally {
      Thread.interrupted();
      process.destroyForcibly();
    }
  }

  /** Starts {@code sh -c script} and returns once it has printed its first line. */
  private static Process started(String script) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    return process;
  }
}
