package io.groupwarden.coordinator;

import java.util.concurrent.CountDownLatch;

/** {@code java -jar coordinator.jar --port 9092 --http-port 8080 --data-dir DIR ...} */
public final class CoordinatorMain {
  private CoordinatorMain() {}

  public static void main(String[] args) throws Exception {
    ClassWarmUp.start();
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(usage());
      return;
    }
    CoordinatorConfig config;
    try {
      config = CoordinatorConfig.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
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

  static String usage() {
    StringBuilder text = new StringBuilder("usage: coordinator [--flag value]...\n\n");
    for (CoordinatorConfig.Option option : CoordinatorConfig.OPTIONS) {
      text.append(
          String.format(
              "  %-38s %-42s %s (default %s)%n",
              option.flag(),
              option.envVar(),
              option.description(),
              option.defaultValue().isEmpty() ? "none" : option.defaultValue()));
    }
    return text.toString();
  }
}
