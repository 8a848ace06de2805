package io.groupwarden.sink;

import io.groupwarden.http.HttpServer;
import io.groupwarden.sink.config.InvalidConfigurationException;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.http.SinkHttp;
import io.groupwarden.sink.kafka.KafkaUnreachableException;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sink.jar}: reads the configuration from the environment, serves metrics and
 * health, runs the worker on the main thread, and stops it cleanly on SIGTERM.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the worker failed, 2 when the configuration is
 * invalid (the reasons are printed), 3 when Kafka did not answer for {@code
 * SINK_KAFKA_OUTAGE_LIMIT}.
 */
public final class SinkMain {
  private static final Logger LOG = LoggerFactory.getLogger(SinkMain.class);

  /** Inside Kubernetes' default grace period of 30 s. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);

  /** The exit code when Kafka did not answer for the outage limit. */
  public static final int EXIT_KAFKA_UNREACHABLE = 3;

  private SinkMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> environment = System.getenv();
    SinkConfig config;
    try {
      config = SinkConfig.fromEnvironment(environment);
    } catch (InvalidConfigurationException e) {
      System.err.println("groupwarden sink: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<String> unknown = SinkConfig.unknownVariables(environment);
    if (!unknown.isEmpty()) {
      LOG.warn("ignoring unknown variables (typos?): {}", unknown);
    }
    LOG.info("starting with {}", config);

    SinkMetrics metrics = new SinkMetrics();
    SinkWorker worker = SinkWorker.create(config, metrics, Clock.systemUTC());
    // all interfaces: the kubelet's probes and Prometheus come from outside the pod
    HttpServer http =
        SinkHttp.start(
            "0.0.0.0", config.metricsPort(), metrics::scrape, worker::liveness, worker::readiness);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutdown requested");
                  worker.stop();
                  try {
                    if (!worker.awaitStopped(SHUTDOWN_GRACE)) {
                      LOG.warn("the worker did not stop within {}", SHUTDOWN_GRACE);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sink-shutdown"));

    worker.run();
    http.close();
    if (worker.failure() instanceof KafkaUnreachableException) {
      System.exit(EXIT_KAFKA_UNREACHABLE);
    }
    if (worker.failure() != null) {
      System.exit(1);
    }
  }
}
