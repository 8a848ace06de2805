package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator image's class-data archive, with the commands its Dockerfile runs (read from the
 * Dockerfile, with the image's paths moved to a temporary directory): the training start exits by
 * itself and leaves an archive, and a start with the image's entry point maps the broker's classes
 * from that archive ({@code -Xshare:on} makes the JVM refuse to start if it cannot).
 */
class CoordinatorClassDataArchiveIT {
  private static final Path ROOT = OperatorHarness.repositoryRoot();
  private static final Path DOCKERFILE = ROOT.resolve("coordinator-image/Dockerfile");

  @TempDir Path dir;

  @Test
  void theTrainingStartMakesAnArchiveThatTheEntryPointUses() throws Exception {
    Path archive = dir.resolve("coordinator.jsa");
    // the training start must stop by itself: run() fails when it is still running after 120 s
    ChildProcesses.Result training =
        ChildProcesses.run(
            "the training start",
            imageCommand(trainingCommand()),
            dir.resolve("training.log"),
            Duration.ofSeconds(120));
    assertThat(training.exitCode()).as(training.output()).isZero();
    assertThat(archive).isNotEmptyFile();

    List<String> start = new ArrayList<>(imageCommand(entryPoint()));
    start.addAll(
        1, List.of("-Xshare:on", "-Xlog:class+load=info:file=" + dir.resolve("classes.log")));
    start.addAll(
        List.of(
            "--data-dir",
            dir.resolve("data").toString(),
            "--listeners",
            "PLAINTEXT://127.0.0.1:0",
            "--http-port",
            "0"));
    Path log = dir.resolve("coordinator.log");
    Process coordinator = ChildProcesses.start(start, log);
    try {
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> !coordinator.isAlive() || Files.readString(log).contains("serving Kafka"));
      } catch (ConditionTimeoutException e) {
        // the log is in a temporary directory that is gone once the test ends
        throw new AssertionError(
            "no 'serving Kafka' within 90 s; the coordinator's log:\n"
                + new String(Files.readAllBytes(log), StandardCharsets.UTF_8),
            e);
      }
      assertThat(coordinator.isAlive()).as(Files.readString(log)).isTrue();
      List<String> fromArchive =
          Files.readAllLines(dir.resolve("classes.log")).stream()
              .filter(line -> line.contains("source: shared objects file (top)"))
              .toList();
      assertThat(fromArchive)
          .as("classes mapped from the coordinator's archive")
          .hasSizeGreaterThan(1_000)
          .anyMatch(line -> line.contains(" io.groupwarden.coordinator.Coordinator "))
          .anyMatch(line -> line.contains(" org.apache.kafka.common.protocol.ApiKeys "))
          .anyMatch(line -> line.contains(" io.netty.channel.nio.NioIoHandler "));
    } finally {
      ChildProcesses.stop(coordinator, Duration.ofSeconds(20));
    }
  }

  /** The RUN instruction that trains the archive, up to its first {@code &&}. */
  private static List<String> trainingCommand() throws Exception {
    String text = Files.readString(DOCKERFILE).replace("\\\n", " ");
    Matcher run = Pattern.compile("(?m)^RUN (java .*ArchiveClassesAtExit.*)$").matcher(text);
    assertThat(run.find()).as("the Dockerfile trains a class-data archive").isTrue();
    String command = run.group(1).split("&&")[0].trim();
    return Arrays.asList(command.split("\\s+"));
  }

  private static List<String> entryPoint() throws Exception {
    Matcher entry =
        Pattern.compile("(?m)^ENTRYPOINT (\\[.*\\])$").matcher(Files.readString(DOCKERFILE));
    assertThat(entry.find()).isTrue();
    return new ObjectMapper().readValue(entry.group(1), new TypeReference<List<String>>() {});
  }

  /** The image's command with this machine's java, the built jar and the temporary directory. */
  private List<String> imageCommand(List<String> command) {
    List<String> local = new ArrayList<>();
    for (String part : command) {
      local.add(
          part.equals("java")
              ? ChildProcesses.javaLauncher()
              : part.replace(
                      "/opt/coordinator/coordinator.jar",
                      ROOT.resolve("coordinator-image/target/coordinator.jar").toString())
                  .replace("/opt/coordinator/", dir + "/")
                  .replace("/tmp/cds-training", dir.resolve("training").toString()));
    }
    return local;
  }
}
