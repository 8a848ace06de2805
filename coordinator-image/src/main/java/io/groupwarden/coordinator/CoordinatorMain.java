package io.groupwarden.coordinator;

import io.groupwarden.coordinator.config.ConfigException;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar coordinator.jar --port 9092 --http-port 8080 --data-dir DIR ...} */
public final class CoordinatorMain {
  /**
   * System property: stop as soon as the broker serves, for the class-data archive's training run.
   */
  static final String EXIT_AFTER_START = "coordinator.exitAfterStart";

  private CoordinatorMain() {}

  public static void main(String[] args) throws Exception {
    ClassWarmUp.start();
    CoordinatorConfig config;
    try {
      config = CoordinatorConfig.parse(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("coordinator: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    if (config.helpRequested()) {
      System.out.print(CoordinatorConfig.usage(System.getenv()));
      return;
    }
    Coordinator coordinator = Coordinator.start(config);
    if (Boolean.getBoolean(EXIT_AFTER_START)) {
      // A training run: the image is built with one start whose loaded classes the JVM archives
      // (-XX:ArchiveClassesAtExit), so that real starts map them instead of loading them.
      coordinator.close();
      System.exit(0);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  coordinator.close();
                  stopped.countDown();
                },
                "coordinator-shutdown"));
    stopped.await();
  }
}
