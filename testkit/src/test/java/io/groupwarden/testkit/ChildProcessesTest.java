package io.groupwarden.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {
  private static final int KILLED_BY_SIGTERM = 128 + 15;
  private static final int KILLED_BY_SIGKILL = 128 + 9;

  @Test
  void stopEndsAProcessThatHonoursSigtermWithSigterm() throws Exception {
    Process process = started("echo ready; exec sleep 60");
    try {
      ChildProcesses.stop(process, Duration.ofSeconds(30));

      assertThat(process.isAlive()).isFalse();
      assertThat(process.exitValue()).isEqualTo(KILLED_BY_SIGTERM);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void stopKillsAProcessThatIgnoresSigtermOnceTheGraceIsOver() throws Exception {
    // an ignored signal stays ignored across exec, so sleep itself ignores SIGTERM
    Process process = started("trap '' TERM; echo ready; exec sleep 60");
    try {
      ChildProcesses.stop(process, Duration.ofMillis(200));

      assertThat(process.isAlive()).isFalse();
      assertThat(process.exitValue()).isEqualTo(KILLED_BY_SIGKILL);
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
