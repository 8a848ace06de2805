package io.groupwarden.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.groupwarden.operator.offsets.CopyOffsetsCommand;
import io.groupwarden.operator.startup.ApiServerCheck;
import io.groupwarden.operator.startup.AsyncThreads;
import io.groupwarden.operator.startup.StartupFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar operator.jar}: runs the operator against the cluster of the current kubeconfig
 * (or the in-cluster service account) until SIGTERM. {@code java -jar operator.jar copy-offsets
 * ...} copies consumer groups' committed offsets from one Kafka cluster to another instead.
 *
 * <p>A start that cannot work ends the process with one line naming the cause and the API server
 * tried, and a non-zero status, so that Kubernetes restarts it and {@code kubectl logs} says why.
 */
public final class OperatorMain {
  static {
    // before the logger or anything else can touch the common pool
    AsyncThreads.usePooledThreads();
  }

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  /** Exit status of a configuration value that cannot be used. */
  static final int BAD_CONFIGURATION = 2;

  /** Each start-up request to the API server may take this long at most. */
  private static final Duration CHECK_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private OperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals(CopyOffsetsCommand.NAME)) {
      System.exit(CopyOffsetsCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0) {
      System.err.println(
          "groupwarden: unknown argument '"
              + args[0]
              + "'; run without arguments to start the operator, or '"
              + CopyOffsetsCommand.NAME
              + " --help'");
      System.exit(BAD_CONFIGURATION);
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("groupwarden: " + e.getMessage());
      System.exit(BAD_CONFIGURATION);
      return;
    }
    Config kubernetes = Config.autoConfigure(null);
    Duration perRequest =
        config.startupTimeout().compareTo(CHECK_REQUEST_TIMEOUT) < 0
            ? config.startupTimeout()
            : CHECK_REQUEST_TIMEOUT;
    ApiServerCheck check = new ApiServerCheck(kubernetes, perRequest);
    LOG.info(
        "Starting groupwarden against the Kubernetes API server {} ({}) with {}",
        check.server(),
        check.source(),
        config);
    try {
      check.verify(GroupwardenOperator.KINDS, config.watchNamespaces());
    } catch (StartupFailure e) {
      fail(e.getMessage());
    }
    run(config, kubernetes);
  }

  private static void run(OperatorConfig config, Config kubernetes) throws InterruptedException {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build();
    GroupwardenOperator operator =
        new GroupwardenOperator(
            config, client, Clock.systemUTC(), GroupwardenOperator.Mode.PRODUCTION);
    CountDownLatch stopped = operator.closeOnShutdown(client);
    try {
      operator.start();
    } catch (RuntimeException e) {
      fail(
          "the reconcilers did not start against the Kubernetes API server "
              + kubernetes.getMasterUrl()
              + " within "
              + config.startupTimeout()
              + ": "
              + ApiServerCheck.why(e));
    }
    LOG.info("groupwarden is running; HTTP on {}:{}", config.httpHost(), operator.httpPort());
    operator.died().thenAccept(OperatorMain::fail);
    stopped.await();
  }

  /** Logs the one line and exits; the shutdown hook (if any) stops what had started. */
  private static void fail(String line) {
    LOG.error("groupwarden cannot run: {}", line);
    System.exit(StartupFailure.EXIT_CODE);
  }
}
