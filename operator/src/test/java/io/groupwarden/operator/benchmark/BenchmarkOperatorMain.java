package io.groupwarden.operator.benchmark;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.groupwarden.operator.GroupwardenOperator;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.startup.ApiServerCheck;
import io.groupwarden.operator.startup.AsyncThreads;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The operator as {@code OperatorMain} starts it — configuration from the environment, the start-up
 * checks of the API server, then the reconcilers and the HTTP server — except that it patches
 * status without server-side apply, which the mock API server lacks. Prints when each step ended
 * (epoch milliseconds), for the start-up figures.
 */
public final class BenchmarkOperatorMain {
  private BenchmarkOperatorMain() {}

  public static void main(String[] args) throws Exception {
    AsyncThreads.usePooledThreads();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    Config kubernetes = Config.autoConfigure(null);
    long mainEntered = System.currentTimeMillis();
    new ApiServerCheck(kubernetes, Duration.ofSeconds(10))
        .verify(GroupwardenOperator.KINDS, config.watchNamespaces());
    long checked = System.currentTimeMillis();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build();
    GroupwardenOperator operator =
        new GroupwardenOperator(
            config, client, Clock.systemUTC(), GroupwardenOperator.Mode.MOCK_API_SERVER);
    CountDownLatch stopped = operator.closeOnShutdown(client);
    operator.start();
    long started = System.currentTimeMillis();
    System.out.printf(
        "BENCHMARK-STARTUP jvmStart=%d main=%d apiChecked=%d started=%d%n",
        jvmStart, mainEntered, checked, started);
    stopped.await();
  }
}
