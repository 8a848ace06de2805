package io.groupwarden.coordinator.support;

import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache Kafka's own command-line tools ({@code kafka-tools} 4.3.1) as child processes: the tools
 * jar on the test kit's Kafka classpath.
 */
public final class KafkaTools {
  private KafkaTools() {}

  private static String classpath() {
    String tools = null;
    for (String entry : TestClasspath.get().split(java.io.File.pathSeparator)) {
      if (entry.contains("kafka-tools-4.3.1")) {
        tools = entry;
      }
    }
    if (tools == null) {
      // run from exec:java (the benchmarks), where the class path is the plug-in's class loader
      java.net.URL resource =
          Thread.currentThread()
              .getContextClassLoader()
              .getResource("org/apache/kafka/tools/ProducerPerformance.class");
      if (resource == null || !resource.toString().startsWith("jar:file:")) {
        throw new IllegalStateException("kafka-tools 4.3.1 is not on the test classpath");
      }
      String url = resource.toString();
      tools =
          java.net.URLDecoder.decode(
              url.substring("jar:file:".length(), url.indexOf('!')), StandardCharsets.UTF_8);
    }
    try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("the test kit's Kafka classpath is missing");
      }
      return tools
          + java.io.File.pathSeparator
          + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a tool; its output (stdout and stderr) goes to {@code log}. */
  public static Process start(String mainClass, List<String> arguments, Path log) {
    return ChildProcesses.start(command(mainClass, arguments), log);
  }

  private static List<String> command(String mainClass, List<String> arguments) {
    return ChildProcesses.javaCommand(List.of("-Xmx256m"), classpath(), mainClass, arguments);
  }

  /** Runs a tool against the broker at {@code bootstrap} (its --bootstrap-server) to its end. */
  public static String run(String mainClass, String bootstrap, String... arguments) {
    List<String> command = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
    command.addAll(List.of(arguments));
    return run(mainClass, command);
  }

  /** Runs a tool to its end and returns its output. */
  public static String run(String mainClass, List<String> arguments) {
    try {
      Path log = Files.createTempFile("kafka-tool", ".log");
      return ChildProcesses.run(
              mainClass, command(mainClass, arguments), log, Duration.ofSeconds(120))
          .output();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
