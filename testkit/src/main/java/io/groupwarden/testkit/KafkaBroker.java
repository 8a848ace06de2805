package io.groupwarden.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Apache Kafka broker (combined broker and controller, KRaft) in a child JVM.
 *
 * <p>A child process rather than an in-process test cluster: it can be killed and restarted on the
 * same port and data directory (an unreachable cluster that comes back), and the broker's own
 * dependencies never meet the classpath of the code under test.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static volatile KafkaBroker shared;

  private final int port;
  private final int controllerPort;
  private final Path dataDir;

  /** The data directory was made by {@link Builder#build} and goes with {@link #close}. */
  private final boolean ownsDataDir;

  private final Map<String, String> overrides;
  private final List<String> jvmOptions;
  private final Map<String, Integer> extraPorts = new LinkedHashMap<>();
  private final Map<String, String> extraProtocols;
  private Process process;

  private KafkaBroker(Builder builder) {
    this.port = builder.port == 0 ? FreePort.pick() : builder.port;
    this.controllerPort = FreePort.pick();
    this.dataDir = builder.dataDir;
    this.ownsDataDir = builder.ownsDataDir;
    this.overrides = new LinkedHashMap<>(builder.overrides);
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.extraProtocols = new LinkedHashMap<>(builder.extraListeners);
    extraProtocols.keySet().forEach(name -> extraPorts.put(name, FreePort.pick()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * One broker for the whole test JVM, started on first use and closed (stopped, its data removed)
   * when the JVM exits. Test classes share it and keep apart by using their own topic and group
   * names.
   */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      KafkaBroker broker = builder().build();
      broker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
      shared = broker;
    }
    return shared;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The port of a listener added with {@link Builder#listener}. */
  public int port(String listener) {
    Integer extra = extraPorts.get(listener);
    if (extra == null) {
      throw new IllegalArgumentException("no listener " + listener);
    }
    return extra;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return dataDir.resolve("broker.log");
  }

  /** The broker's process, e.g. to read the CPU time it has used. */
  public synchronized ProcessHandle processHandle() {
    if (process == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return process.toHandle();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Formats the data directory if needed and starts the broker; returns once it serves. */
  public synchronized KafkaBroker start() {
    if (isRunning()) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      Path properties = writeServerProperties();
      if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
        format(properties);
      }
      long logOffset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
      process = ChildProcesses.start(command("kafka.Kafka", properties.toString()), logFile());
      awaitStarted(logOffset);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the broker gracefully (SIGTERM) and waits for it to exit. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ChildProcesses.stop(process, Duration.ofSeconds(30));
    process = null;
  }

  /** Kills the broker at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    ChildProcesses.awaitExit(process, Duration.ofSeconds(10));
    process = null;
  }

  /** Stops the broker; a data directory the builder made is removed with it. */
  @Override
  public void close() {
    stop();
    if (ownsDataDir) {
      TempDirectories.delete(dataDir);
    }
  }

  private Path writeServerProperties() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + port);
    StringBuilder advertised = new StringBuilder(listeners);
    StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    extraProtocols.forEach(
        (name, protocol) -> {
          String endpoint = "," + name + "://127.0.0.1:" + extraPorts.get(name);
          listeners.append(endpoint);
          advertised.append(endpoint);
          protocols.append(',').append(name).append(':').append(protocol);
        });
    listeners.append(",CONTROLLER://127.0.0.1:").append(controllerPort);
    props.put("listeners", listeners.toString());
    props.put("advertised.listeners", advertised.toString());
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", protocols.toString());
    props.put("log.dirs", dataDir.resolve("logs").toString());
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "true");
    props.put("delete.topic.enable", "true");
    props.putAll(overrides);
    StringBuilder text = new StringBuilder();
    props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Path file = dataDir.resolve("server.properties");
    Files.writeString(file, text.toString());
    return file;
  }

  private void format(Path properties) throws IOException {
    String clusterId;
    do {
      byte[] id = new byte[16];
      new SecureRandom().nextBytes(id);
      clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    } while (clusterId.startsWith("-")); // the format tool would read it as an option

    ChildProcesses.Result formatted =
        ChildProcesses.run(
            "the Kafka storage format tool",
            command(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId,
                "-c",
                properties.toString(),
                "--ignore-formatted"),
            dataDir.resolve("format.log"),
            Duration.ofSeconds(60));
    if (formatted.exitCode() != 0) {
      throw new IllegalStateException("formatting Kafka storage failed: " + formatted.output());
    }
  }

  private List<String> command(String mainClass, String... args) {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-Dlog4j2.configurationFile=" + log4jConfig());
    return ChildProcesses.javaCommand(options, brokerClasspath(), mainClass, List.of(args));
  }

  private String log4jConfig() {
    Path config = dataDir.resolve("log4j2.yaml");
    if (!Files.exists(config)) {
      copyResource("kafka-log4j2.yaml", config);
    }
    return config.toString();
  }

  private void awaitStarted(long logOffset) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Kafka broker exited with " + process.exitValue() + "; see " + logFile());
      }
      if (logSince(logOffset).contains("Kafka Server started") && FreePort.isListening(port)) {
        return;
      }
      FreePort.pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException("Kafka broker did not start within " + START_TIMEOUT);
  }

  private String logSince(long offset) throws IOException {
    byte[] all = Files.readAllBytes(logFile());
    int from = (int) Math.min(offset, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  static String brokerClasspath() {
    try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("kafka-broker.classpath missing: build the testkit module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyResource(String name, Path target) {
    try (InputStream in = KafkaBroker.class.getResourceAsStream(name)) {
      Files.copy(in, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings for a broker; every one is optional. */
  public static final class Builder {
    private int port;
    private Path dataDir;
    private boolean ownsDataDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, String> extraListeners = new LinkedHashMap<>();
    private final List<String> jvmOptions =
        new ArrayList<>(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true"));

    /** A fixed port; by default a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The data directory; by default a new temporary one, removed by {@link #close}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** A broker property that overrides the single-node defaults. */
    public Builder property(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /**
     * Another listener beside PLAINTEXT, on a free port, such as {@code ("SASL_SSL", "SASL_SSL")};
     * its security settings are properties ({@code ssl.keystore.*}, {@code
     * sasl.enabled.mechanisms}, {@code listener.name.<name>.…}).
     */
    public Builder listener(String name, String securityProtocol) {
      extraListeners.put(name, securityProtocol);
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    public KafkaBroker build() {
      if (dataDir == null) {
        dataDir = TempDirectories.create("kafka-broker-");
        ownsDataDir = true;
      }
      return new KafkaBroker(this);
    }
  }
}
