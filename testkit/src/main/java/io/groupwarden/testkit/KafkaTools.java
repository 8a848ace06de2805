package io.groupwarden.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Apache Kafka's own command-line tools ({@code kafka-configs}' ConfigCommand, ProducerPerformance,
 * ConsumerPerformance, …) from {@code org.apache.kafka:kafka-tools}, run as child processes on the
 * classpath of a Kafka distribution, the same one {@link KafkaBroker} runs on.
 */
public final class KafkaTools {
  private KafkaTools() {}

  /**
   * The command that runs {@code mainClass} (such as {@code org.apache.kafka.tools.ConfigCommand})
   * with {@code jvmOptions} and {@code args}.
   */
  public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
    return ChildProcesses.javaCommand(jvmOptions, KafkaBroker.brokerClasspath(), mainClass, args);
  }

  /** Starts a tool; its output is appended to {@code log}. */
  public static Process start(
      Path log, List<String> jvmOptions, String mainClass, List<String> args) {
    return ChildProcesses.start(command(jvmOptions, mainClass, args), log);
  }

  /**
   * Runs a tool to its end.
   *
   * @throws IllegalStateException when it runs longer than {@code timeout} (it is then killed)
   */
  public static ChildProcesses.Result run(Duration timeout, String mainClass, String... args) {
    try {
      Path log = Files.createTempFile("kafka-tool-", ".log");
      try {
        return ChildProcesses.run(
            mainClass, command(List.of("-Xmx256m"), mainClass, List.of(args)), log, timeout);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
