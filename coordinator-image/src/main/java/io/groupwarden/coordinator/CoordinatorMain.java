package io.groupwarden.coordinator;

import io.groupwarden.coordinator.config.ConfigException;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar coordinator.jar --port 9092 --http-port 8080 --data-dir DIR ...} */
public final class CoordinatorMain {
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
