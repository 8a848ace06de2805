package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The local runner as {@code ./run-local.sh} runs it: started, read until its first status table,
 * stopped as Ctrl-C stops it (SIGTERM runs the same shutdown hooks) once the sink worker has
 * written into the Mongo-wire store. It printed the dashboard URL with the token, bound 127.0.0.1,
 * started the sink worker and the Redis monitor, printed no warning, and left neither its temporary
 * directory nor a child process behind.
 */
class LocalRunnerIT {
  /** The sink's status line once its worker has written into the Mongo-wire store. */
  private static final Pattern SINK_WRITING =
      Pattern.compile("mongosink +demo-sink +workers=1 running, .*documents in MongoDB=[1-9]");

  private static final Pattern DATA_DIR = Pattern.compile("data in (\\S+)\\)");
  private static final Pattern DASHBOARD =
      Pattern.compile("dashboard: +http://127\\.0\\.0\\.1:(\\d+)/#token=([0-9a-f]{32})");

  @Test
  void itShowsEverythingThenStopsCleanly() throws Exception {
    assertThat(LocalRedis.findServer()).as("redis-server on the PATH").isNotNull();
    int httpPort = FreePort.pick();
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    Path sinkJar = OperatorHarness.repositoryRoot().resolve("sink-image/target/sink.jar");
    ProcessBuilder builder =
        new ProcessBuilder(
                ChildProcesses.javaLauncher(),
                "-Dgroupwarden.kafkaPort=" + FreePort.pick(),
                "-Dgroupwarden.httpPort=" + httpPort,
                "-Dgroupwarden.sinkJar=" + sinkJar,
                "-cp",
                classpath,
                LocalRunner.class.getName())
            .redirectErrorStream(true);
    Path log = Files.createTempFile("local-runner", ".log");
    Process runner = builder.redirectOutput(log.toFile()).start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      // the output goes to a file: a pipe read while the process exits can fail (Stream closed)
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> SINK_WRITING.matcher(Files.readString(log)).find() || !runner.isAlive());
      assertThat(runner.isAlive()).as(Files.readString(log)).isTrue();
      runner.descendants().forEach(children::add);

      String output = Files.readString(log);
      Matcher dashboard = DASHBOARD.matcher(output);
      assertThat(dashboard.find()).as(output).isTrue();
      assertThat(Integer.parseInt(dashboard.group(1))).isEqualTo(httpPort);
      assertThat(output)
          .contains("everything on 127.0.0.1")
          .contains("operator HTTP listening on 127.0.0.1:" + httpPort)
          .contains("started 1 sink worker(s)")
          .contains("NAME     GROUPS")
          .contains("lagmonitor demo-redis")
          .doesNotContain(" WARN ", "SLF4J", "Exception");
      assertThat(children).as("the sink worker and redis-server").hasSizeGreaterThanOrEqualTo(2);
      Matcher data = DATA_DIR.matcher(output);
      assertThat(data.find()).isTrue();
      Path dataDir = Path.of(data.group(1));
      assertThat(dataDir).exists();

      runner.destroy();
      assertThat(runner.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String rest = Files.readString(log).substring(output.length());

      assertThat(rest).contains("stopped; removed " + dataDir).doesNotContain(" WARN ");
      assertThat(Files.exists(dataDir)).isFalse();
      assertThat(children).noneMatch(ProcessHandle::isAlive);
    } finally {
      runner.descendants().forEach(ProcessHandle::destroyForcibly);
      runner.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
