package io.groupwarden.operator.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The command's arguments and report; the copy itself is tested in e2e's CopyOffsetsIT. */
class CopyOffsetsCommandTest {

  @Test
  void groupsRepeatOrComeCommaSeparated() {
    CopyRequest request =
        CopyOffsetsCommand.parse(
            List.of(
                "--from",
                "a:9092",
                "--to",
                "b:9092",
                "--group",
                "billing,shipping",
                "--group",
                "audit",
                "--dry-run",
                "--timeout",
                "5s"));

    assertThat(request.groups()).containsExactly("billing", "shipping", "audit");
    assertThat(request.dryRun()).isTrue();
    assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(
            () -> CopyOffsetsCommand.parse(List.of("--from", "a:1", "--to", "a:1", "--group", "g")))
        .hasMessageContaining("the same cluster");
    assertThatThrownBy(
            () ->
                CopyOffsetsCommand.parse(
                    List.of("--from", "a:1", "--to", "b:1", "--group", "g", "--timeout", "soon")))
        .hasMessageContaining("--timeout");
    assertThatThrownBy(
            () ->
                CopyOffsetsCommand.parse(
                    List.of(
                        "--from",
                        "a:1",
                        "--to",
                        "b:1",
                        "--group",
                        "g",
                        "--from-config",
                        "/nonexistent")))
        .hasMessageContaining("--from-config /nonexistent is not a readable file");
    assertThatThrownBy(() -> CopyOffsetsCommand.parse(List.of("--from", "--to", "b:1")))
        .hasMessageContaining("--from needs a value");
  }

  @Test
  void helpIsPrintedAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        CopyOffsetsCommand.run(
            new String[] {"--help"},
            new PrintStream(out, true),
            new PrintStream(new ByteArrayOutputStream()));

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("usage: java -jar operator.jar copy-offsets");
  }

  @Test
  void theReportListsEachPartitionAndWhatTheTargetHadBefore() {
    GroupCopy copy =
        new GroupCopy(
            "billing",
            Map.of(new TopicPartition("orders", 1), 40L, new TopicPartition("orders", 0), 12L),
            Map.of(new TopicPartition("orders", 0), 3L),
            null);

    assertThat(copy.describe(false, "a:1", "b:1").lines())
        .containsExactly(
            "group billing: copied 2 partitions from a:1 to b:1",
            "  orders-0 -> 12 (was 3)",
            "  orders-1 -> 40");
    assertThat(copy.describe(true, "a:1", "b:1")).startsWith("group billing: would copy");
  }
}
