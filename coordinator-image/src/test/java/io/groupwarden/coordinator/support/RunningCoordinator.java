package io.groupwarden.coordinator.support;

import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.coordinator.CoordinatorConfig;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.TempDirectories;
import java.nio.file.Path;
import java.util.Map;

/** A coordinator broker started in the test JVM on free ports and a fresh data directory. */
public final class RunningCoordinator implements AutoCloseable {
  private final Coordinator coordinator;
  private final Path dataDir;

  /** The directory this fixture made for itself and removes when closed, or null. */
  private Path ownDirectory;

  private RunningCoordinator(Coordinator coordinator, Path dataDir) {
    this.coordinator = coordinator;
    this.dataDir = dataDir;
  }

  public static RunningCoordinator start() {
    return start(Map.of());
  }

  /**
   * {@code settings} are flags without the dashes, for example {@code
   * group-initial-rebalance-delay}.
   */
  public static RunningCoordinator start(Map<String, String> settings) {
    Path dir = TempDirectories.create("coordinator-");
    try {
      RunningCoordinator running = start(dir, settings);
      running.ownDirectory = dir;
      return running;
    } catch (RuntimeException e) {
      TempDirectories.delete(dir);
      throw e;
    }
  }

  public static RunningCoordinator start(Path dataDir, Map<String, String> settings) {
    return start(dataDir, settings, java.util.function.UnaryOperator.identity());
  }

  /** With transaction markers written through {@code markers} (to stop between them). */
  public static RunningCoordinator start(
      Path dataDir,
      Map<String, String> settings,
      java.util.function.UnaryOperator<io.groupwarden.coordinator.txn.TransactionMarkers> markers) {
    // A port picked free can be taken by another process before the broker binds it; then the
    // start is tried again with new ports (unless the caller fixed them).
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(dataDir, settings, markers);
      } catch (IllegalStateException e) {
        boolean portTaken =
            e.getCause() instanceof java.net.BindException
                || (e.getCause() != null
                    && e.getCause().getCause() instanceof java.net.BindException);
        if (!portTaken || attempt == 3 || settings.containsKey("port")) {
          throw e;
        }
      }
    }
  }

  private static RunningCoordinator startOnce(
      Path dataDir,
      Map<String, String> settings,
      java.util.function.UnaryOperator<io.groupwarden.coordinator.txn.TransactionMarkers> markers) {
    try {
      Map<String, String> flags = new java.util.LinkedHashMap<>();
      flags.put("host", "127.0.0.1");
      flags.put("advertised-host", "127.0.0.1");
      flags.put("port", String.valueOf(FreePort.pick()));
      flags.put("http-port", String.valueOf(FreePort.pick()));
      flags.put("data-dir", dataDir.toString());
      flags.put("group-initial-rebalance-delay", "0s");
      flags.put("group-shards", "2");
      flags.putAll(settings);
      java.util.List<String> args = new java.util.ArrayList<>();
      flags.forEach((k, v) -> args.addAll(java.util.List.of("--" + k, v)));
      CoordinatorConfig config = CoordinatorConfig.parse(args.toArray(String[]::new), Map.of());
      return new RunningCoordinator(Coordinator.start(config, markers), dataDir);
    } catch (Exception e) {
      throw new IllegalStateException("coordinator did not start", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + coordinator.kafkaPort();
  }

  public String httpBase() {
    return "http://127.0.0.1:" + coordinator.httpPort();
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    coordinator.close();
    TempDirectories.delete(ownDirectory);
  }
}
