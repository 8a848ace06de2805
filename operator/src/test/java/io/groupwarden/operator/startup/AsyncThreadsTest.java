package io.groupwarden.operator.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.testkit.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a two-CPU machine {@code CompletableFuture} starts a thread per asynchronous stage unless the
 * common pool is given two threads; {@link AsyncThreads} does that. Checked in a child JVM that
 * believes it has two CPUs, with and without the call.
 */
class AsyncThreadsTest {
  @TempDir Path dir;

  /** Prints the class of the executor asynchronous stages run on. */
  public static final class Probe {
    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("pooled")) {
        AsyncThreads.usePooledThreads();
      }
      System.out.println(new CompletableFuture<Void>().defaultExecutor().getClass().getName());
    }
  }

  @Test
  void onTwoCpusAsynchronousStagesRunOnThePoolInsteadOfANewThreadEach() throws Exception {
    assertThat(executorOnTwoCpus("pooled")).isEqualTo("java.util.concurrent.ForkJoinPool");
    // what the JDK does without it, so the check above can fail
    assertThat(executorOnTwoCpus("default")).contains("ThreadPerTaskExecutor");
  }

  private String executorOnTwoCpus(String mode) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    Path log = dir.resolve(mode + ".log");
    Process process =
        ChildProcesses.start(
            ChildProcesses.javaCommand(
                List.of("-XX:ActiveProcessorCount=2"),
                classpath,
                Probe.class.getName(),
                List.of(mode)),
            log);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return Files.readString(log).strip();
  }
}
