package io.groupwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar operator.jar}: runs the operator against the cluster of the current kubeconfig
 * (or the in-cluster service account) until SIGTERM.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("groupwarden: " + e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("Starting groupwarden with {}", config);
    KubernetesClient client = new KubernetesClientBuilder().build();
    GroupwardenOperator operator =
        new GroupwardenOperator(
            config, client, Clock.systemUTC(), GroupwardenOperator.Mode.PRODUCTION);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Shutting down");
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "groupwarden-shutdown"));
    operator.start();
    stopped.await();
  }
}
