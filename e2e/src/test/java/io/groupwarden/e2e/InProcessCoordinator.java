package io.groupwarden.e2e;

import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.coordinator.CoordinatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The coordinator broker inside the test's JVM on free ports, with its data in a new temporary
 * folder and no initial rebalance delay, as the end-to-end tests run it.
 */
final class InProcessCoordinator {
  private InProcessCoordinator() {}

  /** Starts a coordinator whose data folder's name begins with {@code dataDirPrefix}. */
  static Coordinator start(String dataDirPrefix) throws IOException, InterruptedException {
    return Coordinator.start(
        CoordinatorConfig.parse(
            new String[] {
              "--port", "0",
              "--http-port", "0",
              "--advertised-host", "127.0.0.1",
              "--group-initial-rebalance-delay", "0s",
              "--data-dir", Files.createTempDirectory(dataDirPrefix).toString()
            },
            Map.of()));
  }
}
